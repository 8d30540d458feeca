// DuckDB with its iceberg extension, from the Spark virtualenv of the test environment
// (test/env/spark/requirements.txt pins duckdb and the duckdb-ext-* packages of its version).
import { join } from "node:path";
import { projectRoot, runCommand } from "./install.js";
import { sparkPythonBin } from "./spark.js";

const queryScript = join(projectRoot, "test", "env", "spark", "duckdb_query.py");

export interface DuckdbResult {
  columns: string[];
  /** Values in the JSON conventions of iceberg_tool.py. */
  rows: Record<string, unknown>[];
}

/** Runs one query in DuckDB, offline, with relative paths resolved against `cwd`. */
export async function queryWithDuckdb(sql: string, options: { cwd: string }): Promise<DuckdbResult> {
  const output = await runCommand(sparkPythonBin, [queryScript, sql], { cwd: options.cwd, env: { TZ: "UTC" } });
  return JSON.parse(output.trim().split("\n").pop() ?? "") as DuckdbResult;
}
