import { describe, expect, it } from "vitest";
import { parseStackParameters, type RawParameters } from "../../deploy/stack-parameters.js";

const defaults = { consumerGroup: "kafka-iceberg-export-dev", glueDatabase: "kafka_iceberg_export_dev" };
const msk: RawParameters = { mskClusterArn: "arn:aws:kafka:eu-west-1:123456789012:cluster/events/0b1c2d3e-aaaa-bbbb-cccc-0123456789ab-7", topics: "orders" };

function refusal(raw: RawParameters): Error {
  try {
    parseStackParameters(raw, defaults);
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected a refusal");
}

describe("credentials in the stack parameters", () => {
  it("refuse a registry URL with a password, pointing at the secret parameter, never showing it", () => {
    const error = refusal({ ...msk, schemaRegistryUrl: "https://svc:s3cret@registry.example.com" });
    expect(error.message).toMatch(/^configuration setting schemaRegistryUrl: must not hold credentials \('https:\/\/registry\.example\.com'.*pass its ARN as schemaRegistrySecretArn$/);
    expect(error.message).not.toContain("s3cret");
    expect(refusal({ ...msk, schemaRegistryUrl: "ftp://svc:s3cret@registry" }).message).not.toContain("s3cret");
  });

  it("refuse self-managed brokers with user info, pointing at the secret parameter, never showing it", () => {
    const error = refusal({ kafkaSource: "self-managed", topics: "orders", kafkaAuth: "none", bootstrapServers: "b0:9096,svc:s3cret@b1:9096" });
    expect(error.message).toContain("configuration setting bootstrapServers: must not hold credentials");
    expect(error.message).toContain("kafkaAuthSecretArn");
    expect(error.message).not.toContain("s3cret");
  });

  it("take a registry URL without user info", () => {
    expect(parseStackParameters({ ...msk, schemaRegistryUrl: "https://registry.example.com:8081" }, defaults).schemaRegistryUrl).toBe("https://registry.example.com:8081");
  });
});
