// Which build of this system wrote a file: the package version and the git commit it was
// built from, for the Parquet footer's created_by (data-file-writer.ts). The Lambda bundles
// have both defined at package time (deploy/bundle.ts, esbuild `define`); run from the
// sources (tests, the CLI, the demo) they are read once from package.json and git, and the
// build is "unknown" where there is no git checkout.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

declare const __KAFKA_ICEBERG_EXPORT_VERSION__: string | undefined;
declare const __KAFKA_ICEBERG_EXPORT_BUILD__: string | undefined;

export const applicationName = "kafka-iceberg-export";
export const unknownBuild = "unknown";

export interface BuildInfo {
  version: string;
  build: string;
}

let cached: BuildInfo | undefined;

export function buildInfo(): BuildInfo {
  cached ??= {
    version: typeof __KAFKA_ICEBERG_EXPORT_VERSION__ === "string" ? __KAFKA_ICEBERG_EXPORT_VERSION__ : packageVersion(),
    build: typeof __KAFKA_ICEBERG_EXPORT_BUILD__ === "string" ? __KAFKA_ICEBERG_EXPORT_BUILD__ : gitCommit(fileURLToPath(new URL(".", import.meta.url))),
  };
  return cached;
}

/**
 * `<application> version <semver> (build <hash>)`: the form parquet-mr's VersionParser (and
 * the readers that follow it: Spark, Trino, Impala) parse a created_by into its parts.
 */
export function createdByString(info: BuildInfo = buildInfo()): string {
  return `${applicationName} version ${info.version} (build ${info.build})`;
}

function packageVersion(): string {
  const packageJson = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version?: unknown };
  return typeof packageJson.version === "string" ? packageJson.version : "0.0.0";
}

/** The commit checked out in `directory`'s repository, 12 hex digits; "unknown" outside git. */
export function gitCommit(directory: string): string {
  try {
    const commit = execFileSync("git", ["rev-parse", "--short=12", "HEAD"], { cwd: directory, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"], timeout: 10_000 }).trim();
    return /^[0-9a-f]{7,40}$/.test(commit) ? commit : unknownBuild;
  } catch {
    return unknownBuild;
  }
}
