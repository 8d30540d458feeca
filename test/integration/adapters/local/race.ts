// Runs several contenders (race-child.ts) as separate processes, releases them at once and
// collects their outcomes: a race between processes, not between promises of one.
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import type { RaceTask } from "./race-child.js";

const childScript = fileURLToPath(new URL("./race-child.ts", import.meta.url));
const tsxCli = createRequire(import.meta.url).resolve("tsx/cli");

export interface RaceOutcome {
  contender: number;
  outcome: string;
}

export async function raceProcesses(tasks: RaceTask[]): Promise<RaceOutcome[]> {
  const children = tasks.map((task) => {
    const child = spawn(process.execPath, [tsxCli, childScript, JSON.stringify(task)], { stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    let onReady: () => void = () => undefined;
    const ready = new Promise<void>((resolve) => (onReady = resolve));
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString("utf8");
      if (stdout.startsWith("ready\n")) onReady();
    });
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
    const exited = new Promise<RaceOutcome>((resolve, reject) => {
      child.once("exit", (code) => {
        const line = stdout.split("\n").filter((entry) => entry.startsWith("{")).pop();
        if (code !== 0 || line === undefined) reject(new Error(`contender ${task.contender} exited with ${code}: ${stderr || stdout}`));
        else resolve(JSON.parse(line) as RaceOutcome);
      });
    });
    return { child, ready: Promise.race([ready, exited.then(() => undefined)]), exited };
  });
  try {
    await Promise.all(children.map(({ ready }) => ready));
    for (const { child } of children) child.stdin.write("go\n");
    return await Promise.all(children.map(({ exited }) => exited));
  } catch (error) {
    // Contenders still waiting for "go" would wait forever: stop the ones this race started.
    for (const { child } of children) if (child.exitCode === null) child.kill();
    await Promise.allSettled(children.map(({ exited }) => exited));
    throw error;
  }
}
