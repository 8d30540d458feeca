// Run after `npm test` (the posttest script): fails if any server the test environment started
// from this checkout is still alive — every server must have been stopped. Servers of other
// checkouts (which may share one TEST_ENV_DIR and run at the same time) are not this run's.
// (Two test runs overlapping in one checkout would see each other's servers here.)
import { readdirSync, readFileSync } from "node:fs";
import { projectRoot } from "./install.js";
import { checkoutMarkerVariable } from "./process.js";

function processesOfThisCheckout(): { pid: number; command: string }[] {
  const marker = `${checkoutMarkerVariable}=${projectRoot}`;
  const found: { pid: number; command: string }[] = [];
  for (const entry of readdirSync("/proc")) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    if (readProcFile(pid, "environ")?.split("\0").includes(marker)) found.push({ pid, command: readProcFile(pid, "cmdline")?.replaceAll("\0", " ").trim() ?? "?" });
  }
  return found;
}

function readProcFile(pid: number, name: string): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/${name}`, "utf8");
  } catch {
    return undefined; // exited while we looked, or not ours to read
  }
}

const strays = processesOfThisCheckout();
if (strays.length > 0) {
  for (const stray of strays) console.error(`still running: pid ${stray.pid}: ${stray.command.slice(0, 200)}`);
  console.error(`${strays.length} process(es) of the test environment outlived the tests`);
  process.exit(1);
}
console.log("test environment: no process left running");
