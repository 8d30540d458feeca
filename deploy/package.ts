// `npm run package [-- osls options]`: bundles the functions, runs `osls package` (offline: no
// AWS credentials, no login, no network), then prints each function's size against its
// budget and fails when one is over. Options such as --stage, --region, --param and
// --package (the output folder, .serverless by default) are passed to osls as given.
import { spawn } from "node:child_process";
import { statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { bundleFunctions, type FunctionBundle, type LambdaFunctionName } from "./bundle.js";

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/**
 * Zip size budgets. Lambda's own limit is 50 MB zipped; these are far tighter on purpose: the
 * bundle is loaded at every cold start (importing it took 190–410 ms on the 2-vCPU development
 * machine, 1.0–1.3 MB of code), so a budget about 1.5 times today's size catches an accidental dependency (a second
 * copy of the AWS SDK, a test library, kafkajs pulled into ingest) in review rather than in
 * cold-start latency. Raise a budget deliberately, with the reason, when a feature needs it.
 */
export const zipBudgetBytes: Record<LambdaFunctionName, number> = {
  ingest: 480 * 1024,
  commit: 600 * 1024,
  maintain: 640 * 1024,
};

interface SizeRow {
  bundle: FunctionBundle;
  zipBytes: number;
  budgetBytes: number;
}

async function main(args: string[]): Promise<number> {
  const bundles = await bundleFunctions({ projectRoot });
  const exitCode = await runOsls(["package", ...args]);
  if (exitCode !== 0) return exitCode;
  const packageDir = resolve(projectRoot, packageDirectory(args));
  const rows: SizeRow[] = bundles.map((bundle) => ({ bundle, zipBytes: statSync(join(packageDir, `${bundle.name}.zip`)).size, budgetBytes: zipBudgetBytes[bundle.name] }));
  process.stdout.write(sizeReport(rows, join(packageDir, "cloudformation-template-update-stack.json")));
  const over = rows.filter((row) => row.zipBytes > row.budgetBytes);
  for (const row of over) process.stderr.write(`${row.bundle.name}.zip is ${kib(row.zipBytes)}, over its budget of ${kib(row.budgetBytes)} (deploy/package.ts)\n`);
  return over.length === 0 ? 0 : 1;
}

function packageDirectory(args: string[]): string {
  for (const [index, arg] of args.entries()) {
    if (arg === "--package" || arg === "-p") return args[index + 1] ?? ".serverless";
    if (arg.startsWith("--package=")) return arg.slice("--package=".length);
  }
  return ".serverless";
}

function runOsls(args: string[]): Promise<number> {
  const cli = join(projectRoot, "node_modules", "osls", "bin", "serverless.js");
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [cli, ...args], {
      cwd: projectRoot,
      stdio: "inherit",
      // osls has no telemetry or dashboard; these keep any framework notice off the network.
      env: { ...process.env, SLS_TELEMETRY_DISABLED: "1", SLS_NOTIFICATIONS_MODE: "off", npm_config_update_notifier: "false" },
    });
    child.on("error", reject);
    child.on("exit", (code, signal) => resolvePromise(code ?? (signal === null ? 1 : 128)));
  });
}

function sizeReport(rows: SizeRow[], template: string): string {
  const lines = ["", "function  bundle (.mjs)  zip        budget (zip)  status  largest parts of the bundle"];
  for (const { bundle, zipBytes, budgetBytes } of rows) {
    const parts = bundle.largestPackages.map((part) => `${part.name} ${kib(part.bytes)}`).join(", ");
    lines.push(
      [bundle.name.padEnd(8), kib(bundle.bytes).padStart(12), kib(zipBytes).padStart(10), kib(budgetBytes).padStart(12), (zipBytes > budgetBytes ? "OVER" : "ok").padEnd(6), parts].join("  "),
    );
  }
  lines.push(`template: ${template}`, "");
  return lines.join("\n");
}

function kib(bytes: number): string {
  return `${(bytes / 1024).toFixed(0)} KiB`;
}

// Runs only as the script, so the budget can be imported by tests.
if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await main(process.argv.slice(2));
}
