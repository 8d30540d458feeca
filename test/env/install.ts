// Idempotent installation of the test environment's servers under `.testenv/`.
// Each step is skipped when its stamp file holds the fingerprint of its inputs, so a
// second run starts at once; a step that fails leaves no stamp and runs again next time.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { spawn } from "node:child_process";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const testEnvDir = process.env["TEST_ENV_DIR"] ?? join(projectRoot, ".testenv");

export interface InstallStep {
  name: string;
  /** Files whose content decides whether an existing installation is still valid. */
  inputs: string[];
  install(): Promise<void>;
}

export async function ensureInstalled(step: InstallStep): Promise<"installed" | "cached"> {
  mkdirSync(testEnvDir, { recursive: true });
  const stampFile = join(testEnvDir, `${step.name}.stamp`);
  const fingerprint = fingerprintOf(step.inputs);
  const isCurrent = (): boolean => existsSync(stampFile) && readFileSync(stampFile, "utf8") === fingerprint;
  if (isCurrent()) return "cached";
  return withInstallLock(step.name, async () => {
    // Another run may have finished the same installation while this one waited.
    if (isCurrent()) return "cached";
    rmSync(stampFile, { force: true });
    await step.install();
    writeFileSync(stampFile, fingerprint);
    return "installed";
  });
}

// Two test runs in one checkout must not install into the same directory at once.
async function withInstallLock<T>(name: string, install: () => Promise<T>): Promise<T> {
  const lockFile = join(testEnvDir, `${name}.lock`);
  for (;;) {
    try {
      writeFileSync(lockFile, String(process.pid), { flag: "wx" });
      break;
    } catch {
      if (!lockHolderIsAlive(lockFile)) rmSync(lockFile, { force: true });
      else await new Promise((resolveWait) => setTimeout(resolveWait, 500));
    }
  }
  try {
    return await install();
  } finally {
    rmSync(lockFile, { force: true });
  }
}

function lockHolderIsAlive(lockFile: string): boolean {
  try {
    process.kill(Number(readFileSync(lockFile, "utf8")), 0);
    return true;
  } catch {
    return false;
  }
}

// Paths relative to the project, so that checkouts side by side (git worktrees) sharing one
// test environment agree on its fingerprint instead of reinstalling it under each other.
function fingerprintOf(files: string[]): string {
  const hash = createHash("sha256");
  for (const file of files) hash.update(relative(projectRoot, file)).update(readFileSync(file));
  return hash.digest("hex");
}

/** Runs a command to completion and returns its stdout; fails with its output when it exits non-zero. */
export function runCommand(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: { ...process.env, ...options.env }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let combined = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString("utf8");
      combined += chunk.toString("utf8");
    });
    child.stderr.on("data", (chunk: Buffer) => (combined += chunk.toString("utf8")));
    child.once("error", reject);
    child.once("exit", (code) => {
      if (code === 0) resolvePromise(stdout);
      else reject(new Error(`${command} ${args.join(" ")} exited with ${code}\n${combined.slice(-4000)}`));
    });
  });
}
