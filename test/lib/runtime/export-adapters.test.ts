import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parseExportConfig, type Settings } from "../../../lib/config/export-config.js";
import { silentLogger } from "../../../lib/core/logger.js";
import { createExportAdapters, withAbsoluteLocalPaths } from "../../../lib/runtime/export-adapters.js";

const folder = mkdtempSync(join(tmpdir(), "export-adapters-"));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

function adapters(settings: Settings): ReturnType<typeof createExportAdapters> {
  return createExportAdapters(parseExportConfig(settings), { logger: silentLogger });
}

describe("createExportAdapters", () => {
  it("builds local adapters for a local warehouse, catalog and state, which work together", async () => {
    const { objectStore, stateStore, catalog } = adapters({ WAREHOUSE: `${folder}/warehouse`, CATALOG: "local", STATE_DIRECTORY: `${folder}/state` });
    await objectStore.put(`${folder}/warehouse/kafka/orders/data/a.parquet`, new Uint8Array([1]));
    expect(await objectStore.list(`${folder}/warehouse/`)).toEqual([`${folder}/warehouse/kafka/orders/data/a.parquet`]);
    expect(await stateStore.acquireCommitLease("kafka.orders", { owner: "me", nowMs: 0, durationMs: 1 })).toBe(true);
    expect(await catalog.loadTable({ namespace: "kafka", name: "orders" })).toBeUndefined();
  });

  it("accepts an S3 warehouse with Glue and either DynamoDB or local state", () => {
    expect(() => adapters({ WAREHOUSE: "s3://lake/warehouse", CATALOG: "glue", GLUE_DATABASE: "kafka", STATE_TABLE: "state" })).not.toThrow();
    expect(() => adapters({ WAREHOUSE: "s3://lake/warehouse", CATALOG: "glue", GLUE_DATABASE: "kafka", STATE_DIRECTORY: `${folder}/state` })).not.toThrow();
  });

  it.each([
    [{ WAREHOUSE: "/data/warehouse", CATALOG: "glue", GLUE_DATABASE: "kafka", STATE_DIRECTORY: "/data/state" }, "configuration setting CATALOG: glue needs an s3:// WAREHOUSE"],
    [{ WAREHOUSE: "s3://lake/warehouse", CATALOG: "local", STATE_DIRECTORY: "/data/state" }, "configuration setting CATALOG: local keeps its tables in a local WAREHOUSE folder"],
    [{ WAREHOUSE: "/data/warehouse", CATALOG: "local", STATE_TABLE: "state" }, "configuration setting STATE_TABLE: DynamoDB state needs an s3:// WAREHOUSE"],
  ])("refuses %o with a ConfigurationError naming the setting", (settings, message) => {
    expect(() => adapters(settings)).toThrow(expect.objectContaining({ code: "CONFIGURATION", message: expect.stringContaining(message) as unknown }));
  });
});

describe("withAbsoluteLocalPaths", () => {
  it("makes a relative local warehouse and state folder absolute, and leaves S3 and DynamoDB alone", () => {
    const local = withAbsoluteLocalPaths(parseExportConfig({ WAREHOUSE: "./warehouse/", CATALOG: "local", STATE_DIRECTORY: "state" }), "/home/me/export");
    expect(local).toMatchObject({ warehouse: "/home/me/export/warehouse", state: { type: "local", directory: "/home/me/export/state" } });
    const aws = parseExportConfig({ WAREHOUSE: "s3://lake/warehouse", CATALOG: "glue", GLUE_DATABASE: "kafka", STATE_TABLE: "state" });
    expect(withAbsoluteLocalPaths(aws, "/home/me/export")).toEqual(aws);
  });
});
