import { describe, expect, it } from "vitest";
import { parseExportConfig } from "../../../lib/config/export-config.js";

const minimal = { WAREHOUSE: "s3://lake/warehouse/", CATALOG: "glue", GLUE_DATABASE: "kafka", STATE_TABLE: "state" };

describe("parseExportConfig", () => {
  it("fills the documented defaults", () => {
    expect(parseExportConfig(minimal)).toEqual({
      commitFrequencyMs: 60_000,
      useIngestTime: false,
      schemaRegistry: undefined,
      wireFormat: "confluent",
      warehouse: "s3://lake/warehouse",
      catalog: { type: "glue", database: "kafka" },
      state: { type: "dynamodb", tableName: "state" },
      topics: {},
      targetFileSizeBytes: 134217728,
      maxStagedAgeMs: 900_000,
      commitConcurrency: 4,
      deadLetters: false,
    });
  });

  it("reads every setting", () => {
    const config = parseExportConfig({
      ...minimal,
      COMMIT_FREQUENCY_MS: "5000",
      USE_INGEST_TIME: "TRUE",
      SCHEMA_REGISTRY_URL: "https://registry.internal:8081",
      SCHEMA_REGISTRY_USERNAME: "svc",
      SCHEMA_REGISTRY_PASSWORD: "s3cret",
      SCHEMA_REFRESH_INTERVAL_MS: "1000",
      VALUE_SUBJECTS: "orders=shop.orders-value, clicks=clicks-v2",
      VALUE_MESSAGES: "orders=shop.orders.Order",
      WIRE_FORMAT: "raw",
      COMMIT_CONCURRENCY: "16",
      DEAD_LETTERS: "true",
    });
    expect(config).toMatchObject({
      commitFrequencyMs: 5000,
      useIngestTime: true,
      schemaRegistry: { url: "https://registry.internal:8081", basicAuth: { username: "svc", password: "s3cret" }, timeoutMs: 10_000, refreshIntervalMs: 1000 },
      wireFormat: "raw",
      commitConcurrency: 16,
      deadLetters: true,
      topics: { orders: { valueSubject: "shop.orders-value", messageName: "shop.orders.Order" }, clicks: { valueSubject: "clicks-v2" } },
    });
  });

  it("accepts a local warehouse, catalog and state", () => {
    expect(parseExportConfig({ WAREHOUSE: "./warehouse", CATALOG: "local", STATE_DIRECTORY: "./state" })).toMatchObject({
      warehouse: "./warehouse",
      catalog: { type: "local" },
      state: { type: "local", directory: "./state" },
    });
  });

  it("reads a REST catalog: its URI, warehouse, namespace and auth; our warehouse is optional, as the catalog may choose table locations", () => {
    const rest = { CATALOG: "rest", REST_CATALOG_URI: "https://catalog.example.com/api/catalog/", STATE_TABLE: "state" };
    expect(parseExportConfig(rest)).toMatchObject({
      warehouse: undefined,
      catalog: { type: "rest", uri: "https://catalog.example.com/api/catalog", warehouse: undefined, namespace: "kafka", auth: { type: "none" }, vendedCredentials: false },
    });
    expect(
      parseExportConfig({ ...rest, WAREHOUSE: "s3://lake/w", REST_CATALOG_WAREHOUSE: "analytics", REST_CATALOG_NAMESPACE: "streams", REST_CATALOG_TOKEN: "t0k3n", REST_CATALOG_VENDED_CREDENTIALS: "true" }),
    ).toMatchObject({ warehouse: "s3://lake/w", catalog: { warehouse: "analytics", namespace: "streams", auth: { type: "bearer", token: "t0k3n" }, vendedCredentials: true } });
  });

  it.each([
    [{ CATALOG: "rest", STATE_TABLE: "state" }, "configuration setting REST_CATALOG_URI: is required"],
    [{ CATALOG: "rest", STATE_TABLE: "state", REST_CATALOG_URI: "https://user:pw@catalog.example.com" }, "configuration setting REST_CATALOG_URI: must not hold credentials"],
    [{ CATALOG: "rest", STATE_TABLE: "state", REST_CATALOG_URI: "catalog.example.com" }, "configuration setting REST_CATALOG_URI: must be an http(s) URL"],
    [{ CATALOG: "rest", STATE_TABLE: "state", REST_CATALOG_URI: "https://c.example.com", REST_CATALOG_NAMESPACE: "a.b" }, "configuration setting REST_CATALOG_NAMESPACE: must be a single namespace level"],
    [{ CATALOG: "rest", STATE_TABLE: "state", REST_CATALOG_URI: "https://c.example.com", REST_CATALOG_AUTH: "bearer" }, "configuration setting REST_CATALOG_TOKEN: is required with REST_CATALOG_AUTH=bearer"],
  ])("names the REST catalog setting that is wrong: %#", (settings, message) => {
    expect(() => parseExportConfig(settings)).toThrow(message);
  });

  it.each([
    [{ ...minimal, WAREHOUSE: undefined }, "configuration setting WAREHOUSE: is required"],
    [{ ...minimal, WAREHOUSE: "gs://bucket" }, "configuration setting WAREHOUSE: must be s3://bucket/prefix or a local folder, got 'gs://bucket'"],
    [{ ...minimal, CATALOG: "hive" }, "configuration setting CATALOG: must be one of glue, local, rest, got 'hive'"],
    [{ ...minimal, GLUE_DATABASE: " " }, "configuration setting GLUE_DATABASE: is required"],
    [{ ...minimal, COMMIT_FREQUENCY_MS: "1m" }, "configuration setting COMMIT_FREQUENCY_MS: must be a positive integer, got '1m'"],
    [{ ...minimal, COMMIT_FREQUENCY_MS: "0" }, "configuration setting COMMIT_FREQUENCY_MS: must be a positive integer, got '0'"],
    [{ ...minimal, USE_INGEST_TIME: "yes" }, "configuration setting USE_INGEST_TIME: must be true or false, got 'yes'"],
    [{ ...minimal, SCHEMA_REGISTRY_URL: "registry:8081" }, "configuration setting SCHEMA_REGISTRY_URL: must be an http(s) URL, got 'registry:8081'"],
    [{ ...minimal, SCHEMA_REGISTRY_URL: "http://r", SCHEMA_REGISTRY_USERNAME: "svc" }, "configuration setting SCHEMA_REGISTRY_PASSWORD: is required when the other schema registry credential is set"],
    [{ ...minimal, VALUE_SUBJECTS: "orders" }, "configuration setting VALUE_SUBJECTS: expected topic=value pairs separated by commas, got 'orders'"],
    [{ ...minimal, STATE_TABLE: undefined }, "configuration setting STATE_TABLE: is required (or STATE_DIRECTORY for local state)"],
    [{ ...minimal, STATE_DIRECTORY: "/tmp/s" }, "configuration setting STATE_TABLE: set either STATE_TABLE (DynamoDB) or STATE_DIRECTORY (local), not both"],
  ])("names the setting that is wrong: %#", (settings, message) => {
    expect(() => parseExportConfig(settings)).toThrow(message);
  });
});
