import { describe, expect, it } from "vitest";
import { catalogPaths, encodeNamespace } from "../../../../lib/adapters/rest/rest-paths.js";
import { isS3TablesWarehouse } from "../../../../lib/catalog/s3-tables.js";

describe("REST catalog routes", () => {
  it("puts every route under the config's prefix, or straight under v1 without one", () => {
    expect(catalogPaths(undefined).table({ namespace: "kafka", name: "orders" })).toBe("v1/namespaces/kafka/tables/orders");
    expect(catalogPaths("").namespaces()).toBe("v1/namespaces");
    const prefixed = catalogPaths("arn%3Aaws%3As3tables%3Aus-east-1%3A123456789012%3Abucket%2Flake");
    expect(prefixed.tables("kafka")).toBe("v1/arn%3Aaws%3As3tables%3Aus-east-1%3A123456789012%3Abucket%2Flake/namespaces/kafka/tables");
    expect(catalogPaths("/catalogs/prod/").namespace("kafka")).toBe("v1/catalogs/prod/namespaces/kafka");
  });

  it("encodes names and joins namespace levels with the unit separator, as the spec says", () => {
    expect(encodeNamespace(["a b", "c/d"])).toBe("a%20b%1Fc%2Fd");
    expect(catalogPaths(undefined).table({ namespace: "sales", name: "orders#1" })).toBe("v1/namespaces/sales/tables/orders%231");
  });

  it("knows S3 Tables by its table bucket ARN", () => {
    expect(isS3TablesWarehouse("arn:aws:s3tables:us-east-1:123456789012:bucket/lake")).toBe(true);
    expect(isS3TablesWarehouse("s3://lake")).toBe(false);
    expect(isS3TablesWarehouse(undefined)).toBe(false);
  });
});
