// Idempotent installation of the test environment's servers under `.testenv/`.
// Each step is skipped when its stamp file holds the fingerprint of its inputs, so a
// second run starts at once; a step that fails leaves no stamp and runs again next time.
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import { spawn } from "node:child_process";
import { dirname, join, resolve } from "node:path";
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
  if (existsSync(stampFile) && readFileSync(stampFile, "utf8") === fingerprint) return "cached";
  await step.install();
  writeFileSync(stampFile, fingerprint);
  return "installed";
}

function fingerprintOf(files: string[]): string {
  const hash = createHash("sha256");
  for (const file of files) hash.update(file).update(readFileSync(file));
  return hash.digest("hex");
}

/** Runs a command to completion, failing with its output when it exits non-zero. */
export function runCommand(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: { ...process.env, ...options.env }, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
    child.once("error", reject);
    child.once("exit", (code) => {
      if (code === 0) resolvePromise(output);
      else reject(new Error(`${command} ${args.join(" ")} exited with ${code}\n${output.slice(-4000)}`));
    });
  });
}
