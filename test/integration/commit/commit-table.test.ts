import { beforeAll, describe, expect, it } from "vitest";
import { commitIdProperty, committedOffsetsProperty } from "../../../lib/commit/committed-offsets.js";
import { ingestKafkaBatch } from "../../../lib/ingest/ingest-batch.js";
import { parseKafkaEvent } from "../../../lib/kafka/lambda-event.js";
import { createIngestContext } from "../../../lib/runtime/ingest-runtime.js";
import { silentLogger } from "../../../lib/core/logger.js";
import { fixtureProto } from "../../lib/schema/compile-fixture.js";
import { order, registerSchema } from "../ingest/ingest-harness.js";
import { compileMessage } from "../../lib/schema/compile-fixture.js";
import { encodeConfluentFrame } from "../../../lib/registry/wire-format.js";
import { createCommitHarness, expectedOrderIds, orderIds, type CommitHarness } from "./commit-harness.js";

describe("committing staged files as Iceberg snapshots", () => {
  let harness: CommitHarness;
  beforeAll(async () => {
    harness = await createCommitHarness();
  });

  it("makes no snapshot, and no table, while nothing is staged", async () => {
    const outcome = await harness.commit();
    expect(outcome.tables.map((table) => table.status)).toEqual(["nothing-staged"]);
    await expect(harness.readTable()).rejects.toThrow(/NoSuchTable|does not exist/);
  });

  it("creates the table on the first commit; pyiceberg reads exactly the staged records", async () => {
    await harness.ingestOrders(0, 0, 9);
    await harness.ingestOrders(1, 0, 4);
    const outcome = await harness.commit();
    expect(outcome.tables[0]).toMatchObject({ status: "committed", filesCommitted: 2, recordsCommitted: 15 });
    expect(await harness.context.stateStore.stagedFiles(harness.table)).toEqual([]);
    expect(await harness.context.stateStore.committedOffset(harness.topic, 0)).toBe(9n);

    const table = await harness.readTable();
    expect(orderIds(table)).toEqual(expectedOrderIds([0, 9], [0, 4]));
    expect(table.snapshots).toHaveLength(1);
    expect(table.snapshots[0]?.summary).toMatchObject({
      operation: "append",
      "added-records": "15",
      "total-records": "15",
      // The two partitions' small files of one day are merged into one data file.
      "added-data-files": "1",
      [commitIdProperty]: outcome.tables[0]?.commitId,
    });
    expect(JSON.parse(table.snapshots[0]?.summary[committedOffsetsProperty] ?? "{}")).toEqual({ [harness.topic]: { "0": "9", "1": "4" } });
    expect(table["partition-spec"]).toEqual([{ "source-id": 4, "field-id": 1000, name: "timestamp_day", transform: "day" }]);
    expect(table["data-files"].map((file) => file.partition)).toEqual([[20781]]);
    expect(table.properties["schema.name-mapping.default"]).toContain('"names":["val"]');
  });

  it("appends a snapshot per commit, each record once", async () => {
    await harness.ingestOrders(0, 10, 19);
    await harness.commit();
    await harness.ingestOrders(0, 15, 24);
    await harness.ingestOrders(1, 5, 9);
    await harness.commit();
    expect((await harness.commit()).tables[0]?.status).toBe("nothing-staged");

    const table = await harness.readTable();
    expect(orderIds(table)).toEqual(expectedOrderIds([0, 24], [0, 9]));
    expect(table.snapshots.map((snapshot) => snapshot.summary["total-records"])).toEqual(["15", "25", "35"]);
    expect(table.snapshots.map((snapshot) => snapshot["sequence-number"])).toEqual([1, 2, 3]);
    expect(JSON.parse(table.snapshots[2]?.summary[committedOffsetsProperty] ?? "{}")).toEqual({ [harness.topic]: { "0": "24", "1": "9" } });
  });
});

describe("a schema change between commits", () => {
  it("adds the new field as a column null in old rows, and promotes int to long and float to double", async () => {
    const harness = await createCommitHarness();
    await harness.ingestOrders(0, 0, 4);
    await harness.commit();

    const schemaId = await registerSchema(harness.registryUrl, `${harness.topic}-value`, fixtureProto("ingest/order_v2.proto"));
    const v2 = compileMessage(fixtureProto("ingest/order_v2.proto"), "shop.orders.Order");
    // A new container: its schema cache fetches the latest version of the subject.
    const coldStart = createIngestContext(harness.config, { logger: silentLogger, awsClientConfig: harness.clientConfig });
    const value = (offset: number): Uint8Array => encodeConfluentFrame(schemaId, [0], v2.encode(v2.fromObject({ ...order(offset), quantity: String(2 ** 40 + offset), discount: 0.1, coupon: `C${offset}` })).finish());
    const event = harness.event(0, [5, 6].map((offset) => ({ offset, value: value(offset) })));
    await ingestKafkaBatch(parseKafkaEvent(event), coldStart);
    await harness.commit();

    const table = await harness.readTable();
    expect(table.schemas).toHaveLength(2);
    const [before, after] = table.schemas;
    const valFields = (schema: typeof before) => {
      const val = schema?.fields.find((field) => field.name === "val")?.type;
      return typeof val === "object" && val.type === "struct" ? val.fields : [];
    };
    const field = (schema: typeof before, name: string) => valFields(schema).find((candidate) => candidate.name === name);
    expect(field(after, "quantity")).toEqual({ ...field(before, "quantity"), type: "long" });
    expect(field(after, "discount")).toEqual({ ...field(before, "discount"), type: "double" });
    expect(field(before, "coupon")).toBeUndefined();
    expect(field(after, "coupon")?.type).toBe("string");
    expect(table["current-schema-id"]).toBe(after?.["schema-id"]);

    const rows = new Map(table.rows.map((row) => [(row["val"] as { id: string }).id, row["val"] as Record<string, unknown>]));
    expect(rows.get("order-1")).toMatchObject({ quantity: 1, discount: 0.25, coupon: null });
    expect(rows.get("order-6")).toMatchObject({ quantity: 2 ** 40 + 6, coupon: "C6" });
    expect(rows.get("order-6")?.["discount"]).toBeCloseTo(0.1, 10);
  });
});
