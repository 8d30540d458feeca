// A benchmark's measuring child: this same script run again with a mode argument, in a
// fresh process so that its peak RSS is its own case's. It answers with one JSON line on
// stdout (the last one). Awaited asynchronously: the parent must keep draining moto's output
// pipes while the child runs, or moto blocks on a full pipe and the child waits on moto forever.
import { spawn } from "node:child_process";

export interface ChildOptions {
  /** The script to run (the caller's own, `fileURLToPath(import.meta.url)`). */
  script: string;
  args: string[];
  /** Writes a CPU profile of the child into this folder. */
  profileDirectory?: string | undefined;
  env?: NodeJS.ProcessEnv;
}

export function runChild<T>(options: ChildOptions): Promise<T> {
  const { script, args, profileDirectory, env } = options;
  const profiling = profileDirectory === undefined ? [] : ["--cpu-prof", "--cpu-prof-dir", profileDirectory];
  const child = spawn(process.execPath, [...process.execArgv, ...profiling, script, ...args], { stdio: ["ignore", "pipe", "inherit"], env: { ...process.env, ...env } });
  let stdout = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (code, signal) => {
      if (code !== 0) reject(new Error(`the measuring process failed (exit ${code ?? signal ?? "?"})`));
      else resolve(JSON.parse(stdout.trim().split("\n").pop() ?? "") as T);
    });
  });
}
