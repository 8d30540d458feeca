// Runs `npm run package` the way CI does on a clean machine: no AWS credentials, no AWS
// config files (HOME is an empty folder), and returns what it printed and the template.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { projectRoot } from "../../env/install.js";

export interface CfnResource {
  Type: string;
  Properties?: Record<string, unknown>;
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
}

export interface CfnTemplate {
  Resources: Record<string, CfnResource>;
  Outputs?: Record<string, { Value: unknown }>;
}

export interface PackagedStack {
  output: string;
  directory: string;
  templateFile: string;
  template: CfnTemplate;
}

export async function packageStack(parameters: Record<string, string>, options: { stage?: string } = {}): Promise<PackagedStack> {
  const directory = mkdtempSync(join(tmpdir(), "kafka-iceberg-export-package-"));
  const home = mkdtempSync(join(tmpdir(), "kafka-iceberg-export-home-"));
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith("AWS_")));
  const args = ["tsx", "deploy/package.ts", "--stage", options.stage ?? "ci", "--package", directory, ...Object.entries(parameters).map(([name, value]) => `--param=${name}=${value}`)];
  const { code, output } = await run("npx", args, { ...env, HOME: home }).finally(() => rmSync(home, { recursive: true, force: true }));
  if (code !== 0) {
    rmSync(directory, { recursive: true, force: true });
    throw new Error(`npm run package exited with ${code}:\n${output}`);
  }
  const templateFile = join(directory, "cloudformation-template-update-stack.json");
  return { output, directory, templateFile, template: JSON.parse(readFileSync(templateFile, "utf8")) as CfnTemplate };
}

/** Packaging that is expected to fail: what it printed. */
export async function packageStackFailure(parameters: Record<string, string>): Promise<string> {
  try {
    await packageStack(parameters);
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
  throw new Error("npm run package succeeded although it was expected to fail");
}

export function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: projectRoot, env, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? 1, output }));
  });
}

export function resourcesOfType(template: CfnTemplate, type: string): [string, CfnResource][] {
  return Object.entries(template.Resources).filter(([, resource]) => resource.Type === type);
}

export function resource(template: CfnTemplate, logicalId: string): CfnResource & { Properties: Record<string, unknown> } {
  const found = template.Resources[logicalId];
  if (found === undefined) throw new Error(`the template has no resource ${logicalId}`);
  return { ...found, Properties: found.Properties ?? {} };
}
