import { describe, expect, it } from "vitest";
import { defaultTableName, tableIdentifierFor } from "../../../lib/control/table-naming.js";
import { isCompacted } from "../../../lib/control/topic-admin.js";

describe("the table a topic is exported to", () => {
  it("is the topic name made a Glue identifier", () => {
    expect(defaultTableName("Shop.Orders-v2")).toBe("shop_orders_v2");
    expect(defaultTableName("2026-clicks")).toBe("t_2026_clicks");
  });

  it("refuses a table or namespace name Glue and Athena cannot hold, naming the flag", () => {
    expect(tableIdentifierFor("orders", "kafka", undefined)).toEqual({ namespace: "kafka", name: "orders" });
    expect(() => tableIdentifierFor("orders", "kafka", "Orders!")).toThrow("configuration setting --table: 'Orders!' is not a valid table name");
    expect(() => tableIdentifierFor("orders", "my-db", undefined)).toThrow("configuration setting --namespace: 'my-db' is not a valid database name");
  });
});

describe("a compacted topic", () => {
  it("is one whose cleanup policy includes compact, whatever the case and spacing", () => {
    expect(isCompacted({ topic: "t", partitions: [0], cleanupPolicy: "compact" })).toBe(true);
    expect(isCompacted({ topic: "t", partitions: [0], cleanupPolicy: "delete, Compact" })).toBe(true);
    expect(isCompacted({ topic: "t", partitions: [0], cleanupPolicy: "delete" })).toBe(false);
  });
});
