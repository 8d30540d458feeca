import { describe, expect, it } from "vitest";
import { parseExportConfig } from "../../../lib/config/export-config.js";
import { ExportError, UnavailableError } from "../../../lib/core/errors.js";
import { withRegistryCredentials } from "../../../lib/runtime/registry-credentials.js";

const secretArn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:registry-AbCdEf";
const base = { WAREHOUSE: "s3://bucket/warehouse", CATALOG: "glue", GLUE_DATABASE: "db", STATE_TABLE: "state", SCHEMA_REGISTRY_URL: "https://registry.example.com" };

function secretHolding(text: string): (id: string) => Promise<string> {
  return (id) => (id === secretArn ? Promise.resolve(text) : Promise.reject(new ExportError("INTERNAL", `no secret ${id}`)));
}

describe("registry credentials from Secrets Manager", () => {
  it("become the registry's basic auth", async () => {
    const settings = await withRegistryCredentials({ ...base, SCHEMA_REGISTRY_SECRET_ARN: secretArn }, secretHolding('{"username":"exporter","password":"s3cret"}'));
    expect(parseExportConfig(settings).schemaRegistry?.basicAuth).toEqual({ username: "exporter", password: "s3cret" });
  });

  it("are not read when no secret is configured", async () => {
    const settings = await withRegistryCredentials(base, () => Promise.reject(new Error("must not be called")));
    expect(settings).toBe(base);
  });

  it.each([
    ["not JSON", "exporter:s3cret", "it is not JSON"],
    ["not an object", '["exporter","s3cret"]', "it is not an object"],
    ["without a password", '{"username":"exporter"}', "missing or empty: password"],
  ])("refuse a secret that is %s, naming the setting and never echoing the secret", async (_case, text, problem) => {
    const failure = withRegistryCredentials({ ...base, SCHEMA_REGISTRY_SECRET_ARN: secretArn }, secretHolding(text));
    await expect(failure).rejects.toThrow(`configuration setting SCHEMA_REGISTRY_SECRET_ARN: secret ${secretArn} must be a JSON object`);
    await expect(failure).rejects.toThrow(problem);
    await expect(failure).rejects.not.toThrow("s3cret");
  });

  it("refuse a secret together with direct credentials", async () => {
    await expect(withRegistryCredentials({ ...base, SCHEMA_REGISTRY_SECRET_ARN: secretArn, SCHEMA_REGISTRY_PASSWORD: "x" }, secretHolding("{}"))).rejects.toThrow(
      "configuration setting SCHEMA_REGISTRY_SECRET_ARN: set either SCHEMA_REGISTRY_SECRET_ARN or SCHEMA_REGISTRY_PASSWORD, not both",
    );
  });

  it("keep an unavailable Secrets Manager retryable and make a missing secret a configuration error", async () => {
    const unavailable = new UnavailableError("STORAGE_UNAVAILABLE", "Secrets Manager GetSecretValue failed: ThrottlingException");
    await expect(withRegistryCredentials({ ...base, SCHEMA_REGISTRY_SECRET_ARN: secretArn }, () => Promise.reject(unavailable))).rejects.toBe(unavailable);
    await expect(withRegistryCredentials({ ...base, SCHEMA_REGISTRY_SECRET_ARN: "arn:other" }, secretHolding("{}"))).rejects.toMatchObject({
      code: "CONFIGURATION",
      retryable: false,
      message: "configuration setting SCHEMA_REGISTRY_SECRET_ARN: cannot read the secret: no secret arn:other",
    });
  });
});
