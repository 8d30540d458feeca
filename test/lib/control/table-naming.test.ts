import { describe, expect, it } from "vitest";
import { defaultTableName, distinctTableName, tableIdentifierFor } from "../../../lib/control/table-naming.js";
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

  it("refuses a table name over Glue's 255 characters, shortening it in the message and suggesting a valid one", () => {
    expect(tableIdentifierFor("t", "kafka", "a".repeat(255)).name).toHaveLength(255);
    const refusal = (): unknown => tableIdentifierFor("t", "kafka", "a".repeat(256));
    expect(refusal).toThrow(/--table: 'a{60}…' \(256 characters\) is not a valid table name: use lower case letters, digits and underscores, not starting with a digit, at most 255 characters, e.g. --table t_[0-9a-f]{8}$/);
  });

  it("derives a valid name for the longest topic Kafka allows", () => {
    const topic = `Long.${"x".repeat(244)}`;
    expect(topic).toHaveLength(249);
    expect(tableIdentifierFor(topic, "kafka", undefined).name).toBe(`long_${"x".repeat(244)}`);
  });

  it("suggests a short distinct name for topics the default name folds together", () => {
    const names = ["Dot.Name", "dot_name", "dot-name"].map(distinctTableName);
    expect(new Set(names).size).toBe(3);
    for (const name of names) expect(name).toMatch(/^dot_name_[0-9a-f]{8}$/);
    expect(distinctTableName("9".repeat(249))).toMatch(/^t_9{38}_[0-9a-f]{8}$/);
    for (const topic of ["___", "9", "A.".repeat(100)]) expect(() => tableIdentifierFor(topic, "kafka", distinctTableName(topic))).not.toThrow();
  });
  it("refuses a name ending with __dead_letters for a topic's table: it names the dead-letter table of another", () => {
    expect(() => tableIdentifierFor("orders__dead_letters", "kafka", undefined)).toThrow(/ends with __dead_letters, which names the dead-letter table of 'orders'/);
    expect(() => tableIdentifierFor("x", "kafka", "orders__dead_letters")).toThrow(/--table|dead-letter/);
    expect(tableIdentifierFor("orders", "kafka", "orders__dead_letters", { deadLetterTable: true })).toEqual({ namespace: "kafka", name: "orders__dead_letters" });
    expect(() => tableIdentifierFor("orders", "kafka", `${"o".repeat(250)}__dead_letters`, { deadLetterTable: true })).toThrow(/the dead-letter table's name/);
  });
});

describe("a compacted topic", () => {
  it("is one whose cleanup policy includes compact, whatever the case and spacing", () => {
    expect(isCompacted({ topic: "t", partitions: [0], cleanupPolicy: "compact" })).toBe(true);
    expect(isCompacted({ topic: "t", partitions: [0], cleanupPolicy: "delete, Compact" })).toBe(true);
    expect(isCompacted({ topic: "t", partitions: [0], cleanupPolicy: "delete" })).toBe(false);
  });
});
