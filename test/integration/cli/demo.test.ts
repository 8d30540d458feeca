// The README's main command: `npm run demo` prints the table it made; pyiceberg, reading the
// printed metadata location, finds the same rows.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readIcebergTable } from "../../env/iceberg-reader.js";
import { projectRoot, runCommandLine } from "./cli-process.js";

function printed(stdout: string, label: string): string {
  const match = new RegExp(`^${label}\\s+(.+)$`, "m").exec(stdout);
  if (match?.[1] === undefined) throw new Error(`the demo printed no '${label}' line:\n${stdout}`);
  return match[1].trim();
}

describe("npm run demo", () => {
  it("exports the sample records into a table that pyiceberg reads from the printed location", async () => {
    const directory = join(mkdtempSync(join(tmpdir(), "demo-")), "demo");
    const run = await runCommandLine("npm", ["run", "demo", "--", "--directory", directory], { cwd: projectRoot });
    expect(run.code, run.stderr).toBe(0);

    const metadataLocation = printed(run.stdout, "metadata");
    const rowCount = Number(/^rows\s+(\d+) in/m.exec(run.stdout)?.[1]);
    expect(metadataLocation.startsWith(join(directory, "warehouse", "kafka", "orders", "metadata"))).toBe(true);
    expect(rowCount).toBe(1000 - 7);

    // The report reads top to bottom: the header first, the skipped records under "ingested".
    const lines = run.stdout.split("\n");
    // (npm's own "> kafka-iceberg-export@… demo" banner comes before it)
    expect(lines.find((line) => line !== "" && !line.startsWith("> "))).toMatch(/^kafka-iceberg-export demo: /);
    expect(run.stdout).toMatch(/7 invalid records skipped/);
    const ingestedAt = lines.findIndex((line) => line.startsWith("ingested "));
    const warnings = lines.flatMap((line, index) => (line.startsWith("           warning: skipped a record that cannot be decoded: topic demo.orders, partition ") ? [index] : []));
    expect(warnings).toHaveLength(7);
    expect(warnings.every((index) => index > ingestedAt && index < lines.findIndex((line) => line.startsWith("committed ")))).toBe(true);
    expect(run.stderr).not.toMatch(/warning/);

    const table = await readIcebergTable({ catalog: "metadata-file", metadataLocation });
    expect(table.rows).toHaveLength(rowCount);
    expect(table.snapshots).toHaveLength(2);
    const keys = table.rows.map((row) => (row["key"] as { __raw__: string | null }).__raw__);
    expect(new Set(keys.filter((key) => key !== null)).size).toBe(keys.filter((key) => key !== null).length);

    // The first rows the demo printed are rows pyiceberg finds, value for value: binary as
    // labelled hex, timestamps (the column and the Protobuf Timestamp field) as ISO times.
    expect(run.stdout).toContain("rows (binary as 0x hex, timestamps in UTC, longs and decimals as strings)");
    interface PrintedRow {
      key: { __raw__: string | null };
      timestamp: string;
      headers: { key: string; value: string }[];
      val: { order_id: string; amount_cents: string; placed_at: string; customer: { country: string }; items: string[] };
    }
    const printedRows = lines.filter((line) => line.startsWith('  {"key"')).map((line) => JSON.parse(line) as PrintedRow);
    expect(printedRows.length).toBeGreaterThan(0);
    const hexOfBase64 = (base64: string | null): string | null => (base64 === null ? null : `0x${Buffer.from(base64, "base64").toString("hex")}`);
    const isoOf = (time: string): string => time.replace(/\+00:00$/, "Z");
    for (const row of printedRows) {
      const found = table.rows.find((candidate) => (candidate["val"] as { order_id: string }).order_id === row.val.order_id);
      expect(found, row.val.order_id).toBeDefined();
      const val = found?.["val"] as { amount_cents: number | string; placed_at: string; customer: { country: string }; items: string[] };
      expect(row.key.__raw__).toBe(hexOfBase64((found?.["key"] as { __raw__: string | null }).__raw__));
      expect(row.key.__raw__ ?? "0x").toMatch(/^0x[0-9a-f]*$/);
      expect(row.timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
      expect(row.timestamp).toBe(isoOf(found?.["timestamp"] as string));
      expect(row.val.placed_at).toBe(isoOf(val.placed_at));
      expect(row.headers).toEqual((found?.["headers"] as { key: string; value: string }[]).map((header) => ({ key: header.key, value: hexOfBase64(header.value) })));
      expect(String(val.amount_cents)).toBe(row.val.amount_cents);
      expect(val.customer.country).toBe(row.val.customer.country);
      expect(val.items).toEqual(row.val.items);
    }
  });

  it("refuses to replace a folder it did not make", async () => {
    const directory = mkdtempSync(join(tmpdir(), "not-a-demo-"));
    writeFileSync(join(directory, "precious.txt"), "keep me");
    const run = await runCommandLine("npm", ["run", "--silent", "demo", "--", "--directory", directory], { cwd: projectRoot });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`--directory ${directory} exists and was not made by the demo`);
  });
});
