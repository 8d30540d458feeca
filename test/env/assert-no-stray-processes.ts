// Run after `npm test` (the posttest script): fails if any process started from this
// checkout's test environment is still alive — every server must have been stopped.
// (Two test runs overlapping in one checkout would see each other's servers here.)
import { readdirSync, readFileSync } from "node:fs";
import { testEnvDir } from "./install.js";

function processesUsing(marker: string): { pid: number; command: string }[] {
  const found: { pid: number; command: string }[] = [];
  for (const entry of readdirSync("/proc")) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    const command = readCommandLine(pid);
    if (command?.includes(marker)) found.push({ pid, command });
  }
  return found;
}

function readCommandLine(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ").trim();
  } catch {
    return undefined; // exited while we looked
  }
}

const strays = processesUsing(testEnvDir);
if (strays.length > 0) {
  for (const stray of strays) console.error(`still running: pid ${stray.pid}: ${stray.command.slice(0, 200)}`);
  console.error(`${strays.length} process(es) of the test environment outlived the tests`);
  process.exit(1);
}
console.log("test environment: no process left running");
