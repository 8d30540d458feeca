import { describe, expect, it } from "vitest";
import { parseExportConfig } from "../../../lib/config/export-config.js";
import { parseKafkaConnection } from "../../../lib/config/kafka-config.js";

const minimal = { WAREHOUSE: "s3://bucket/warehouse", CATALOG: "glue", GLUE_DATABASE: "kafka", STATE_TABLE: "state" };

function refusal(parse: () => unknown): Error {
  try {
    parse();
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected a refusal");
}

describe("credentials in the configuration's URLs", () => {
  it.each(["https://svc:s3cret@registry.example.com:8081", "http://s3cret@registry.example.com", "https://svc:p@s3cret@registry.example.com/apis"])(
    "refuses a registry URL with user info, %s, naming the settings that hold credentials, never showing them",
    (url) => {
      const error = refusal(() => parseExportConfig({ ...minimal, SCHEMA_REGISTRY_URL: url }));
      expect(error).toMatchObject({ code: "CONFIGURATION", setting: "SCHEMA_REGISTRY_URL" });
      expect(error.message).toMatch(/^configuration setting SCHEMA_REGISTRY_URL: must not hold credentials \('https?:\/\/registry\.example\.com[^']*' with a user name or password before '@'\): set SCHEMA_REGISTRY_USERNAME and SCHEMA_REGISTRY_PASSWORD, or SCHEMA_REGISTRY_SECRET_ARN/);
      expect(error.message).not.toContain("s3cret");
    },
  );

  it("never shows the user info of a URL it refuses for another reason", () => {
    const error = refusal(() => parseExportConfig({ ...minimal, WAREHOUSE: "s3://b/w", SCHEMA_REGISTRY_URL: "ftp://svc:s3cret@registry" }));
    expect(error.message).not.toContain("s3cret");
  });

  it("takes a registry URL without user info, and the credentials from their settings", () => {
    const config = parseExportConfig({ ...minimal, SCHEMA_REGISTRY_URL: "https://registry.example.com/apis/ccompat/v7?x=a@b", SCHEMA_REGISTRY_USERNAME: "svc", SCHEMA_REGISTRY_PASSWORD: "s3cret" });
    expect(config.schemaRegistry).toMatchObject({ url: "https://registry.example.com/apis/ccompat/v7?x=a@b", basicAuth: { username: "svc", password: "s3cret" } });
  });

  it.each(["svc:s3cret@b1.example.com:9096", "SASL_SSL://svc:s3cret@b1:9096", "b0:9092,svc@b1:9092"])("refuses Kafka brokers with user info, %s, naming the SASL settings, never showing them", (brokers) => {
    const error = refusal(() => parseKafkaConnection({ KAFKA_BROKERS: brokers }));
    expect(error).toMatchObject({ code: "CONFIGURATION", setting: "KAFKA_BROKERS" });
    expect(error.message).toContain("must not hold credentials");
    expect(error.message).toContain("KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD");
    expect(error.message).not.toContain("s3cret");
  });
});
