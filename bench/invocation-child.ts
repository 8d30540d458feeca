// One measured process of `npm run bench` (bench/invocation-bench.ts), bundled by esbuild and
// run by plain node, so no TypeScript loader adds to its CPU or memory. "handler" imports the
// bundled ingest handler, invokes it once on a one-record event (the cold start: config,
// registry, schema), then on every event file: read, JSON.parse, handler. "floor" does the
// least any exporter must: read, JSON.parse, base64-decode every key and value.
// The measured CPU is process.cpuUsage (user + system, GC threads included) over the files.
import { readFileSync, writeFileSync } from "node:fs";
import { Session } from "node:inspector/promises";
import { pathToFileURL } from "node:url";

export interface ChildPlan {
  mode: "handler" | "floor";
  files: string[];
  /** Where the child writes its ChildResult. */
  resultFile: string;
  /** Handler only: the bundle, and the one-record event of the cold start. */
  bundle?: string;
  warmUpEvent?: string;
  /** A V8 CPU profile of the measured part (the event files) goes here. */
  cpuProfile?: string;
}

export interface ChildResult {
  cpuMs: number;
  wallMs: number;
  peakRssMb: number;
  /** Handler only: the CPU of importing the bundle and the first, one-record invocation. */
  coldStartCpuMs?: number;
  decodedBytes?: number;
}

type Handler = (event: unknown) => Promise<void>;

interface EventShape {
  records: Record<string, { key?: string | null; value?: string | null }[]>;
}

function cpuMsSince(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

function readEvent(file: string): unknown {
  return JSON.parse(readFileSync(file, "utf8"));
}

function decodeKeysAndValues(event: EventShape): number {
  let bytes = 0;
  for (const records of Object.values(event.records)) {
    for (const record of records) {
      if (typeof record.key === "string") bytes += Buffer.from(record.key, "base64").byteLength;
      if (typeof record.value === "string") bytes += Buffer.from(record.value, "base64").byteLength;
    }
  }
  return bytes;
}

async function startProfiler(): Promise<Session> {
  const session = new Session();
  session.connect();
  await session.post("Profiler.enable");
  await session.post("Profiler.setSamplingInterval", { interval: 250 });
  await session.post("Profiler.start");
  return session;
}

async function main(planFile: string): Promise<void> {
  const plan = JSON.parse(readFileSync(planFile, "utf8")) as ChildPlan;
  const result: Partial<ChildResult> = {};
  let handler: Handler | undefined;
  if (plan.mode === "handler") {
    if (plan.bundle === undefined || plan.warmUpEvent === undefined) throw new Error("a handler plan names the bundle and the warm-up event");
    const coldStart = process.cpuUsage();
    handler = ((await import(pathToFileURL(plan.bundle).href)) as { handler: Handler }).handler;
    await handler(readEvent(plan.warmUpEvent));
    result.coldStartCpuMs = cpuMsSince(coldStart);
  }
  const profiler = plan.cpuProfile === undefined ? undefined : await startProfiler();
  let decodedBytes = 0;
  const cpuStart = process.cpuUsage();
  const wallStart = performance.now();
  for (const file of plan.files) {
    const event = readEvent(file);
    if (handler === undefined) decodedBytes += decodeKeysAndValues(event as EventShape);
    else await handler(event);
  }
  result.wallMs = performance.now() - wallStart;
  result.cpuMs = cpuMsSince(cpuStart);
  if (profiler !== undefined && plan.cpuProfile !== undefined) writeFileSync(plan.cpuProfile, JSON.stringify((await profiler.post("Profiler.stop")).profile));
  result.peakRssMb = process.resourceUsage().maxRSS / 1024;
  if (handler === undefined) result.decodedBytes = decodedBytes;
  writeFileSync(plan.resultFile, JSON.stringify(result));
}

await main(process.argv[2] ?? "");
