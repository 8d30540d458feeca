import { describe, expect, it } from "vitest";
import { tableLocationFor } from "../../../lib/catalog/table-location.js";

describe("tableLocationFor", () => {
  it("puts a table at <warehouse>/<namespace>/<name>, in S3 and in a local folder", () => {
    expect(tableLocationFor("s3://lake/warehouse", { namespace: "kafka", name: "orders" })).toBe("s3://lake/warehouse/kafka/orders");
    expect(tableLocationFor("s3://lake/", { namespace: "kafka", name: "orders" })).toBe("s3://lake/kafka/orders");
    expect(tableLocationFor("/data/warehouse/", { namespace: "kafka", name: "orders.v2" })).toBe("/data/warehouse/kafka/orders.v2");
  });

  it("refuses a relative local warehouse, naming WAREHOUSE", () => {
    expect(() => tableLocationFor("./warehouse", { namespace: "kafka", name: "orders" })).toThrow("configuration setting WAREHOUSE: a local warehouse must be an absolute folder, got './warehouse'");
  });

  it.each([
    [{ namespace: "..", name: "orders" }, "namespace '..'"],
    [{ namespace: "kafka", name: "" }, "table name ''"],
    [{ namespace: "kafka", name: "a/b" }, "table name 'a/b'"],
    [{ namespace: "a\\b", name: "orders" }, "namespace 'a\\b'"],
  ])("refuses %o, which is not one folder", (identifier, named) => {
    expect(() => tableLocationFor("/data/warehouse", identifier)).toThrow(expect.objectContaining({ code: "CONFIGURATION", message: expect.stringContaining(named) as unknown }));
  });
});
