// npm run bench — the ingest path's throughput and memory (SPEC.md §7): Confluent-framed
// Protobuf values → decoded straight into leaf columns (createColumnarValueDecoder,
// appendRecord) → writeTableColumns (Parquet, snappy, column metrics), on one thread. The batches are generated up front and read from
// disk by a fresh child process per measurement: one child warms up, then times several
// runs and reports the medians; another exports the batch once and reports its peak RSS.
// "Per core" divides by the process's CPU time, which a busy machine does not inflate the
// way it inflates wall time.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { IcebergSchema, StructType } from "../lib/iceberg/types.js";
import { writeTableColumns } from "../lib/parquet/data-file-writer.js";
import { parquetLayout, type ParquetLayout } from "../lib/parquet/parquet-schema.js";
import { appendRecord, emptyTableColumns, releaseTableColumns } from "../lib/parquet/table-columns.js";
import { createColumnarValueDecoder, type ColumnarValueDecoder } from "../lib/decode/columnar-decoder.js";
import { evolveSchemaState } from "../lib/schema/schema-state.js";
import { readBatchFile, writeBatchFile } from "./batch-file.js";
import { generateMessages, orderEventType, type KafkaMessage } from "./order-events.js";

interface BenchCase {
  name: string;
  records?: number;
  /** Generate records until their keys and values reach this many bytes. */
  payloadBytes?: number;
}

interface TimingResult {
  records: number;
  inputBytes: number;
  fileBytes: number;
  runs: number;
  medianWallMs: number;
  /** The process's CPU time (user + system, GC threads included) of the median run. */
  medianCpuMs: number;
}

interface MemoryResult {
  /** RSS once the batch is loaded, before the export. */
  loadedRssMb: number;
  peakRssMb: number;
}

const megabyte = 1024 * 1024;

const cases: BenchCase[] = [
  { name: "100 records", records: 100 },
  { name: "1,000 records", records: 1_000 },
  { name: "10,000 records", records: 10_000 },
  { name: "100,000 records", records: 100_000 },
  { name: "6 MB batch", payloadBytes: 6 * megabyte },
];

const warmUpMs = 1_000;
const timedMs = 3_000;
const minimumRuns = 5;
const maximumRuns = 500;

function exportBatch(decodeValue: ColumnarValueDecoder, schema: IcebergSchema, layout: ParquetLayout, messages: readonly KafkaMessage[]): number {
  const table = emptyTableColumns(schema, messages.length, layout);
  for (const message of messages) {
    const appended = appendRecord(table, message.value, { key: message.key, headers: message.headers, timestamp: BigInt(message.timestampMs) * 1000n }, decodeValue);
    if (!appended.ok) throw new Error(`benchmark record did not decode: ${appended.reason}`);
  }
  const fileBytes = writeTableColumns(table).bytes.length;
  // As the ingest path does once a file is written (partitioned-files.ts).
  releaseTableColumns(table);
  return fileBytes;
}

function exporter(): (messages: readonly KafkaMessage[]) => number {
  const type = orderEventType();
  const { schema } = evolveSchemaState(undefined, type).state;
  const valStruct = schema.fields.find((field) => field.name === "val")?.type as StructType;
  const layout = parquetLayout(schema);
  const decodeValue = createColumnarValueDecoder({ messageType: type, valStruct, wireFormat: "confluent" }, layout);
  return (messages) => exportBatch(decodeValue, schema, layout, messages);
}

function generateBatch(benchCase: BenchCase): KafkaMessage[] {
  const type = orderEventType();
  if (benchCase.records !== undefined) return generateMessages(type, benchCase.records);
  const target = benchCase.payloadBytes ?? 0;
  // Estimate the count from a sample, then trim to the byte budget.
  const sample = generateMessages(type, 1_000);
  const averageBytes = sample.reduce((sum, message) => sum + recordBytes(message), 0) / sample.length;
  const messages = generateMessages(type, Math.ceil((target / averageBytes) * 1.05));
  let total = 0;
  let count = 0;
  while (count < messages.length && total + recordBytes(messages[count] as KafkaMessage) <= target) total += recordBytes(messages[count++] as KafkaMessage);
  return messages.slice(0, count);
}

function recordBytes(message: KafkaMessage): number {
  return message.key.length + message.value.length;
}

function measureTiming(batchPath: string): TimingResult {
  const exportMessages = exporter();
  const messages = readBatchFile(batchPath);
  const warmUpEnd = performance.now() + warmUpMs;
  for (let run = 0; run < 3 || performance.now() < warmUpEnd; run++) exportMessages(messages);

  const wallTimes: number[] = [];
  const cpuTimes: number[] = [];
  let fileBytes = 0;
  const timingStart = performance.now();
  while (wallTimes.length < minimumRuns || (performance.now() - timingStart < timedMs && wallTimes.length < maximumRuns)) {
    const cpuStart = process.cpuUsage();
    const wallStart = performance.now();
    fileBytes = exportMessages(messages);
    wallTimes.push(performance.now() - wallStart);
    const cpu = process.cpuUsage(cpuStart);
    cpuTimes.push((cpu.user + cpu.system) / 1000);
  }
  return {
    records: messages.length,
    inputBytes: messages.reduce((sum, message) => sum + recordBytes(message), 0),
    fileBytes,
    runs: wallTimes.length,
    medianWallMs: median(wallTimes),
    medianCpuMs: median(cpuTimes),
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((left, right) => left - right);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

function measureMemory(batchPath: string): MemoryResult {
  const exportMessages = exporter();
  const messages = readBatchFile(batchPath);
  const loadedRssMb = process.memoryUsage().rss / megabyte;
  exportMessages(messages);
  return { loadedRssMb, peakRssMb: process.resourceUsage().maxRSS / 1024 };
}

function runChild(mode: "timing" | "memory", batchPath: string): unknown {
  const script = fileURLToPath(import.meta.url);
  const child = spawnSync(process.execPath, [...process.execArgv, script, `--${mode}`, batchPath], { encoding: "utf8", maxBuffer: 16 * megabyte });
  if (child.status !== 0) throw new Error(`${mode} child for ${batchPath} failed (exit ${child.status ?? child.signal ?? "?"}):\n${child.stderr}`);
  return JSON.parse(child.stdout.trim().split("\n").pop() ?? "");
}

function printTable(results: readonly (TimingResult & MemoryResult & { name: string })[]): void {
  const header = ["case", "records", "input MB", "file MB", "runs", "wall ms", "CPU ms", "records/s (wall)", "records/s per core", "input MB/s per core", "RSS loaded MB", "peak RSS MB"];
  const rows = results.map((result) => {
    const cpuSeconds = result.medianCpuMs / 1000;
    return [
      result.name,
      result.records.toLocaleString("en-US"),
      (result.inputBytes / megabyte).toFixed(2),
      (result.fileBytes / megabyte).toFixed(2),
      String(result.runs),
      result.medianWallMs.toFixed(1),
      result.medianCpuMs.toFixed(1),
      Math.round(result.records / (result.medianWallMs / 1000)).toLocaleString("en-US"),
      Math.round(result.records / cpuSeconds).toLocaleString("en-US"),
      (result.inputBytes / megabyte / cpuSeconds).toFixed(1),
      result.loadedRssMb.toFixed(0),
      result.peakRssMb.toFixed(0),
    ];
  });
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? "").length)));
  const line = (cells: string[]): string => `| ${cells.map((cell, column) => (column === 0 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0))).join(" | ")} |`;
  console.log(line(header));
  console.log(`|${widths.map((width, column) => (column === 0 ? "-".repeat(width + 2) : `${"-".repeat(width + 1)}:`)).join("|")}|`);
  for (const row of rows) console.log(line(row));
}

function main(): void {
  const [mode, batchPath] = process.argv.slice(2);
  if (batchPath !== undefined && (mode === "--timing" || mode === "--memory")) {
    console.log(JSON.stringify(mode === "--timing" ? measureTiming(batchPath) : measureMemory(batchPath)));
    return;
  }
  console.log(`node ${process.version} ${process.arch}; per case: warm-up ${warmUpMs} ms, then at least ${minimumRuns} runs over ${timedMs} ms, medians; peak RSS of one export in a fresh process`);
  const directory = mkdtempSync(join(tmpdir(), "ingest-bench-"));
  try {
    const results = cases.map((benchCase) => {
      const batchPath = join(directory, `${benchCase.name.replace(/\W+/g, "-")}.batch`);
      writeBatchFile(batchPath, generateBatch(benchCase));
      const timing = runChild("timing", batchPath) as TimingResult;
      const memory = runChild("memory", batchPath) as MemoryResult;
      console.error(`${benchCase.name}: ${timing.medianWallMs.toFixed(1)} ms wall, ${timing.medianCpuMs.toFixed(1)} ms CPU, peak RSS ${memory.peakRssMb.toFixed(0)} MB`);
      return { name: benchCase.name, ...timing, ...memory };
    });
    printTable(results);
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

main();
