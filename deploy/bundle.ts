// Bundles each Lambda handler with esbuild into one ES module under dist/<function>/, so a
// function ships only the code its handler reaches (no node_modules, no other function).
import { mkdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { build, type Metafile } from "esbuild";
import { gitCommit } from "../lib/core/build-info.js";

export const lambdaFunctions = ["ingest", "commit", "maintain"] as const;
export type LambdaFunctionName = (typeof lambdaFunctions)[number];

export interface BundleOptions {
  projectRoot: string;
  /** Where the bundles go; serverless.yml packages `dist/<function>/**`. */
  outputDir?: string;
}

export interface FunctionBundle {
  name: LambdaFunctionName;
  file: string;
  bytes: number;
  /** The largest npm packages in the bundle, by bytes of their code in it. */
  largestPackages: { name: string; bytes: number }[];
}

export async function bundleFunctions(options: BundleOptions): Promise<FunctionBundle[]> {
  const bundles: FunctionBundle[] = [];
  for (const name of lambdaFunctions) bundles.push(await bundleFunction(name, options));
  return bundles;
}

export interface SingleBundleOptions extends BundleOptions {
  /** True unless told otherwise; a profile of an unminified bundle names the functions as the source does (npm run bench -- --cpu-prof). */
  minify?: boolean;
}

/** One handler's bundle, as `npm run package` ships it; `npm run bench` runs this same build of ingest. */
export async function bundleFunction(name: LambdaFunctionName, options: SingleBundleOptions): Promise<FunctionBundle> {
  const directory = join(options.outputDir ?? join(options.projectRoot, "dist"), name);
  rmSync(directory, { recursive: true, force: true });
  mkdirSync(directory, { recursive: true });
  const file = join(directory, `${name}.mjs`);
  const result = await build({
    entryPoints: [join(options.projectRoot, "functions", `${name}.ts`)],
    outfile: file,
    bundle: true,
    platform: "node",
    target: "node22",
    format: "esm",
    minify: options.minify ?? true,
    // Error classes name themselves from new.target.name (lib/core/errors.ts); stack
    // traces keep readable function names.
    keepNames: true,
    legalComments: "none",
    define: buildDefines(options.projectRoot),
    metafile: true,
    logLevel: "warning",
    // Some dependencies are CommonJS and call require() for Node built-ins.
    banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  });
  const output = Object.values(result.metafile.outputs)[0];
  if (output === undefined) throw new Error(`esbuild wrote no output for ${name}`);
  return { name, file, bytes: output.bytes, largestPackages: largestPackages(result.metafile) };
}

/** The version and commit a bundle reports (lib/core/build-info.ts): fixed at package time, for a Lambda has no git. */
export function buildDefines(projectRoot: string): Record<string, string> {
  const { version } = JSON.parse(readFileSync(join(projectRoot, "package.json"), "utf8")) as { version: string };
  return {
    __KAFKA_ICEBERG_EXPORT_VERSION__: JSON.stringify(version),
    __KAFKA_ICEBERG_EXPORT_BUILD__: JSON.stringify(gitCommit(projectRoot)),
  };
}

function largestPackages(metafile: Metafile): { name: string; bytes: number }[] {
  const totals = new Map<string, number>();
  for (const output of Object.values(metafile.outputs)) {
    for (const [path, input] of Object.entries(output.inputs)) {
      // The innermost node_modules names the package (nested copies count as their own).
      const name = [...path.matchAll(/node_modules\/((?:@[^/]+\/)?[^/]+)/g)].at(-1)?.[1] ?? "(this project)";
      totals.set(name, (totals.get(name) ?? 0) + input.bytesInOutput);
    }
  }
  return [...totals.entries()]
    .map(([name, bytes]) => ({ name, bytes }))
    .sort((a, b) => b.bytes - a.bytes)
    .slice(0, 5);
}
