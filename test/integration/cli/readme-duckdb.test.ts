// The README's DuckDB snippet, as written, on the table `npm run demo` makes: DuckDB's own
// iceberg extension (offline, from PyPI packages) reads the same rows as pyiceberg.
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { queryWithDuckdb } from "../../env/duckdb.js";
import { readIcebergTable } from "../../env/iceberg-reader.js";
import { projectRoot, runCli } from "./cli-process.js";

function readmeDuckdbQuery(): { sql: string; metadataPath: string } {
  const readme = readFileSync(join(projectRoot, "README.md"), "utf8");
  const match = /^SELECT .* FROM iceberg_scan\('([^']+)'\);$/m.exec(readme);
  if (match?.[1] === undefined) throw new Error("the README has no DuckDB iceberg_scan snippet");
  return { sql: match[0], metadataPath: match[1] };
}

describe("the README's DuckDB snippet", () => {
  it("reads the demo's table as written, with the rows pyiceberg reads", { timeout: 180_000 }, async () => {
    // `npm run demo` in a fresh checkout: the demo writes ./demo-warehouse where it runs.
    const checkout = mkdtempSync(join(tmpdir(), "readme-duckdb-"));
    const run = await runCli(["demo"], { cwd: checkout });
    expect(run.code, run.stderr).toBe(0);

    const { sql, metadataPath } = readmeDuckdbQuery();
    // The snippet's path is relative: from the checkout (where `npm run demo` ran) or, as the
    // README's other paths are, from inside the demo's folder.
    const cwd = [checkout, join(checkout, "demo-warehouse")].find((folder) => existsSync(resolve(folder, metadataPath)));
    expect(cwd, `${metadataPath} is neither under the folder where the demo ran nor under ./demo-warehouse`).toBeDefined();
    const duckdb = await queryWithDuckdb(sql, { cwd: cwd ?? checkout });

    const table = await readIcebergTable({ catalog: "metadata-file", metadataLocation: resolve(cwd ?? checkout, metadataPath) });
    expect(duckdb.rows.length).toBeGreaterThan(0);
    const expected = table.rows.map((row) => JSON.stringify([(row["val"] as { order_id?: unknown } | null)?.order_id ?? null, row["timestamp"]])).sort();
    const found = duckdb.rows.map((row) => JSON.stringify([row[duckdb.columns[0] ?? ""], row[duckdb.columns[1] ?? ""]])).sort();
    expect(found).toEqual(expected);
  });
});
