// npm run bench — what a Lambda invocation of ingest costs (issue 14): the bundled ingest
// handler, built as `npm run package` builds it (deploy/bundle.ts), invoked on MSK event JSON
// files under the 6 MB payload limit, on the embedded default (a fresh local warehouse and
// state per case, the schema served by a static registry over HTTP). Each case runs in a
// process of its own; so does the floor, the least any exporter must do with the same files
// (read, JSON.parse, base64 of every key and value). "Per core" divides by the process's CPU
// time, which a busy machine does not inflate the way it inflates wall time. Then the kernel
// table (bench/ingest-bench.ts): decode + Parquet on records already in memory.
//
//   npm run bench [-- --cases 100000,6MB] [--cpu-prof DIR] [--node-args "--trace-gc"] [--runs N] [--keep] [--no-kernel]
// --runs N runs each child N times and shows the run of least CPU.
// --cpu-prof writes a V8 CPU profile of every child's measured part into DIR (from an
// unminified bundle, so that it names functions as the source does) and prints each one's
// top functions.
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { createLocalStateStore } from "../lib/adapters/local/local-state-store.js";
import { tableLocationFor } from "../lib/catalog/table-location.js";
import { bundleFunction } from "../deploy/bundle.js";
import type { ChildPlan, ChildResult } from "./invocation-child.js";
import { summarizeCpuProfiles } from "./cpu-profile-summary.js";
import { writeEventFiles, type EventFiles } from "./lambda-event-files.js";
import { lambdaOrderProto, lambdaOrderType, orderRecords } from "./lambda-orders.js";
import { startStaticRegistryServer } from "./registry-server.js";
import { textTable } from "./text-table.js";

interface BenchCase {
  name: string;
  /** Records, or with `singleEvent` the most to generate while filling one event. */
  records: number;
  singleEvent?: boolean;
}

const cases: BenchCase[] = [
  { name: "1,000 records", records: 1_000 },
  { name: "10,000 records", records: 10_000 },
  { name: "100,000 records", records: 100_000 },
  { name: "1,000,000 records", records: 1_000_000 },
  { name: "one full 6 MB event", records: 100_000, singleEvent: true },
];

const benchDirectory = dirname(fileURLToPath(import.meta.url));
const projectRoot = resolve(benchDirectory, "..");
const topic = "bench-orders";
const mebibyte = 1024 * 1024;

interface Options {
  cases: BenchCase[];
  cpuProfileDir: string | undefined;
  /** Node options for the handler's process only (a Lambda function takes them from NODE_OPTIONS). */
  nodeArgs: string[];
  kernel: boolean;
  /** Processes per case and kind; the table shows the one of least CPU. */
  runs: number;
  /** Keep the work folder (events, warehouses, the children's logs) and print where it is. */
  keep: boolean;
}

function parseOptions(args: readonly string[]): Options {
  const options: Options = { cases, cpuProfileDir: undefined, nodeArgs: [], kernel: true, keep: false, runs: 1 };
  for (let index = 0; index < args.length; index++) {
    const arg = args[index];
    if (arg === "--no-kernel") options.kernel = false;
    else if (arg === "--keep") options.keep = true;
    else if (arg === "--runs") options.runs = Math.max(1, Number(args[++index]) || 1);
    else if (arg === "--cpu-prof") options.cpuProfileDir = resolve(args[++index] ?? "cpu-profiles");
    else if (arg === "--node-args") options.nodeArgs = (args[++index] ?? "").split(/\s+/).filter((part) => part !== "");
    else if (arg === "--cases") {
      const wanted = (args[++index] ?? "").split(",").map((name) => name.replace(/\D/g, ""));
      options.cases = cases.filter((benchCase) => wanted.includes(benchCase.singleEvent === true ? "6" : String(benchCase.records)));
    } else throw new Error(`unknown option ${arg}; expected --cases, --cpu-prof DIR, --node-args ARGS, --runs N, --keep or --no-kernel`);
  }
  return options;
}

interface CaseResult {
  benchCase: BenchCase;
  events: EventFiles;
  handler: ChildResult;
  floor: ChildResult;
}

async function runCase(benchCase: BenchCase, work: string, children: { bundle: string; child: string }, registryUrl: string, options: Options): Promise<CaseResult> {
  const directory = join(work, benchCase.name.replace(/\W+/g, "-"));
  const eventsDir = join(directory, "events");
  mkdirSync(eventsDir, { recursive: true });
  const type = lambdaOrderType();
  const events = writeEventFiles(orderRecords(type, benchCase.records), { directory: eventsDir, topic, partition: 0, singleEvent: benchCase.singleEvent === true });
  const warmUp = writeEventFiles(orderRecords(type, 1), { directory: join(directory), topic, partition: 1 });

  const handlers: ChildResult[] = [];
  const floors: ChildResult[] = [];
  for (let run = 1; run <= options.runs; run++) {
    const runDirectory = join(directory, `run-${run}`);
    mkdirSync(runDirectory);
    const env = { ...process.env, ...(await freshExport(runDirectory)), SCHEMA_REGISTRY_URL: registryUrl };
    const child = (plan: Omit<ChildPlan, "resultFile">, nodeArgs: string[]): Promise<ChildResult> =>
      runChild({ ...plan, resultFile: join(runDirectory, `${plan.mode}.result.json`) }, children.child, { env, directory: runDirectory, cpuProfileDir: options.cpuProfileDir, nodeArgs });
    handlers.push(await child({ mode: "handler", files: events.files, bundle: children.bundle, warmUpEvent: warmUp.files[0] }, options.nodeArgs));
    floors.push(await child({ mode: "floor", files: events.files }, []));
  }
  const handler = leastCpu(handlers);
  const floor = leastCpu(floors);
  if (!options.keep) rmSync(directory, { recursive: true, force: true });
  return { benchCase, events, handler, floor };
}

/** A local warehouse and state with the topic enabled, as `enable` leaves them; the handler's settings for them. */
async function freshExport(directory: string): Promise<Record<string, string>> {
  const warehouse = join(directory, "warehouse");
  const stateDirectory = join(directory, "state");
  const table = { namespace: "kafka", name: "bench_orders" };
  await createLocalStateStore({ directory: stateDirectory }).putTopicExport({
    topic,
    enabled: true,
    table,
    tableLocation: tableLocationFor(warehouse, table),
    startOffsets: {},
    valueSubject: `${topic}-value`,
    subjectIsExplicit: false,
    partitioning: "day",
    updatedAt: new Date().toISOString(),
  });
  return { WAREHOUSE: warehouse, CATALOG: "local", STATE_DIRECTORY: stateDirectory };
}

// The run least disturbed by the rest of the machine: on a shared machine CPU time too
// grows with contention (caches, hyperthreads), never shrinks.
function leastCpu(results: readonly ChildResult[]): ChildResult {
  return results.reduce((best, result) => (result.cpuMs < best.cpuMs ? result : best));
}

async function runChild(plan: ChildPlan, childScript: string, options: { env: NodeJS.ProcessEnv; directory: string; cpuProfileDir: string | undefined; nodeArgs: string[] }): Promise<ChildResult> {
  const planFile = join(options.directory, `${plan.mode}.plan.json`);
  if (options.cpuProfileDir !== undefined) {
    mkdirSync(options.cpuProfileDir, { recursive: true });
    plan.cpuProfile = join(options.cpuProfileDir, `${plan.mode}-${options.directory.split("/").pop() ?? ""}.cpuprofile`);
  }
  writeFileSync(planFile, JSON.stringify(plan));
  const logFile = join(options.directory, `${plan.mode}.log`);
  const stderr: Buffer[] = [];
  const code = await new Promise<number | null>((resolvePromise, reject) => {
    // The handler logs a line or two per invocation (Powertools); they go to a file.
    const child = spawn(process.execPath, [...options.nodeArgs, childScript, planFile], { env: options.env, stdio: ["ignore", openSync(logFile, "w"), "pipe"] });
    child.stderr?.on("data", (chunk: Buffer) => stderr.push(chunk));
    child.on("error", reject);
    child.on("exit", (exitCode) => resolvePromise(exitCode));
  });
  if (code !== 0) {
    const log = readFileSync(logFile, "utf8").split("\n").slice(-20).join("\n");
    throw new Error(`the ${plan.mode} child failed (exit ${code ?? "signal"}):\n${Buffer.concat(stderr).toString("utf8")}\n${log}`);
  }
  return JSON.parse(readFileSync(plan.resultFile, "utf8")) as ChildResult;
}

function printResults(results: readonly CaseResult[]): void {
  const header = ["case", "records", "events", "input MiB", "CPU s", "wall s", "records/s per core", "input MiB/s per core", "peak RSS MiB", "cold start CPU ms", "floor CPU s", "floor records/s per core", "floor peak RSS MiB", "CPU ÷ floor"];
  const rows = results.map(({ benchCase, events, handler, floor }) => [
    benchCase.name,
    events.records.toLocaleString("en-US"),
    String(events.files.length),
    (events.inputBytes / mebibyte).toFixed(1),
    (handler.cpuMs / 1000).toFixed(2),
    (handler.wallMs / 1000).toFixed(2),
    Math.round(events.records / (handler.cpuMs / 1000)).toLocaleString("en-US"),
    (events.inputBytes / mebibyte / (handler.cpuMs / 1000)).toFixed(1),
    handler.peakRssMb.toFixed(0),
    (handler.coldStartCpuMs ?? 0).toFixed(0),
    (floor.cpuMs / 1000).toFixed(2),
    Math.round(events.records / (floor.cpuMs / 1000)).toLocaleString("en-US"),
    floor.peakRssMb.toFixed(0),
    (handler.cpuMs / floor.cpuMs).toFixed(2),
  ]);
  console.log(textTable(header, rows));
}

async function buildChildren(work: string, minify: boolean): Promise<{ bundle: string; child: string }> {
  const bundle = await bundleFunction("ingest", { projectRoot, outputDir: join(work, "dist"), minify });
  const child = join(work, "invocation-child.mjs");
  await build({ entryPoints: [join(benchDirectory, "invocation-child.ts")], outfile: child, bundle: true, platform: "node", format: "esm", target: "node20", logLevel: "warning" });
  return { bundle: bundle.file, child };
}

function runKernelBench(): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [...process.execArgv, join(benchDirectory, "ingest-bench.ts")], { stdio: "inherit" });
    child.on("error", reject);
    child.on("exit", (code) => (code === 0 ? resolvePromise() : reject(new Error(`the kernel benchmark failed (exit ${code ?? "signal"})`))));
  });
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const work = mkdtempSync(join(tmpdir(), "invocation-bench-"));
  const registry = await startStaticRegistryServer({ [`${topic}-value`]: lambdaOrderProto });
  try {
    const children = await buildChildren(work, options.cpuProfileDir === undefined);
    console.log(`node ${process.version} ${process.arch}; the bundled ingest handler (${options.cpuProfileDir === undefined ? "as packaged" : "unminified, for the profile"}) on MSK events of at most 6 MiB, one process per case and run, ${options.runs} run(s) each, the one of least CPU shown; CPU = user + system of the child over the event files (the cold start apart)`);
    const results: CaseResult[] = [];
    for (const benchCase of options.cases) {
      const result = await runCase(benchCase, work, children, registry.url, options);
      console.error(`${benchCase.name}: ${(result.handler.cpuMs / 1000).toFixed(2)} s CPU, floor ${(result.floor.cpuMs / 1000).toFixed(2)} s, peak RSS ${result.handler.peakRssMb.toFixed(0)} MiB`);
      results.push(result);
    }
    printResults(results);
    if (options.cpuProfileDir !== undefined) console.log(summarizeCpuProfiles(options.cpuProfileDir));
  } finally {
    await registry.close();
    if (options.keep) console.log(`kept ${work}`);
    else rmSync(work, { recursive: true, force: true });
  }
  if (options.kernel) {
    console.log("\nKernel: decode + Parquet on records already in memory (bench/ingest-bench.ts)");
    await runKernelBench();
  }
}

await main();
