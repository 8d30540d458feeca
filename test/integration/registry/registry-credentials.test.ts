// Credentials never show in an error, against the real schema registry: not when a URL with
// user info reaches the registry client, not when the CLI refuses one, not when the
// credentials come from their own settings and a request fails.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Kafka, logLevel } from "kafkajs";
import { describe, expect, it } from "vitest";
import { createSchemaRegistryClient } from "../../../lib/registry/registry-client.js";
import { testEnvironment } from "../../env/test-environment.js";
import { uniqueName } from "../../env/unique-name.js";
import { runCli } from "../cli/cli-process.js";

const password = "pw-S3cret-do-not-print";

function withUserInfo(url: string): string {
  return url.replace("://", `://svc:${password}@`);
}

/** Everything an error could show: its message, stack and causes, as a logger would print them. */
function everythingShown(error: unknown): string {
  const parts: string[] = [];
  for (let current: unknown = error; current !== undefined && current !== null; current = (current as { cause?: unknown }).cause) {
    parts.push(current instanceof Error ? `${current.message}\n${current.stack ?? ""}` : JSON.stringify(current));
    if (parts.length > 10) break;
  }
  return parts.join("\n");
}

describe("credentials in errors, against the real registry", () => {
  const environment = testEnvironment();
  const warehouse = join(mkdtempSync(join(tmpdir(), "registry-credentials-")), "warehouse");

  it("a registry client given a URL with user info fails without showing it", async () => {
    const client = createSchemaRegistryClient({ url: withUserInfo(environment.schemaRegistryUrl) });
    const error: unknown = await client.latestSchema("any-subject").then(
      () => undefined,
      (reason: unknown) => reason,
    );
    expect(error).toBeInstanceOf(Error);
    expect(everythingShown(error)).not.toContain(password);
    expect(everythingShown(error)).toContain("schema registry request GET /subjects/any-subject/versions/latest failed");
  });

  it("the CLI refuses a registry URL with user info, naming the settings for credentials, and prints no password", async () => {
    const run = await runCli(["enable", "--topic", "any", "--warehouse", warehouse, "--brokers", environment.kafkaBootstrap, "--schema-registry-url", withUserInfo(environment.schemaRegistryUrl)]);
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toContain("--schema-registry-url: configuration setting SCHEMA_REGISTRY_URL: must not hold credentials");
    expect(run.stderr).toContain("SCHEMA_REGISTRY_USERNAME and SCHEMA_REGISTRY_PASSWORD");
    expect(`${run.stdout}${run.stderr}`).not.toContain(password);
  });

  it("the CLI refuses brokers with user info and prints no password", async () => {
    const run = await runCli(["enable", "--topic", "any", "--warehouse", warehouse, "--brokers", `svc:${password}@${environment.kafkaBootstrap}`, "--schema-registry-url", environment.schemaRegistryUrl]);
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toContain("KAFKA_BROKERS: must not hold credentials");
    expect(`${run.stdout}${run.stderr}`).not.toContain(password);
  });

  it("credentials from their own settings never show when a registry request fails", async () => {
    const topic = uniqueName("credentials");
    const admin = new Kafka({ clientId: "credentials-test", brokers: [environment.kafkaBootstrap], logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    try {
      await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
    } finally {
      await admin.disconnect();
    }
    const run = await runCli(
      ["enable", "--topic", topic, "--value-subject", `${topic}-missing`, "--warehouse", warehouse, "--brokers", environment.kafkaBootstrap, "--schema-registry-url", environment.schemaRegistryUrl, "--schema-registry-username", "svc"],
      { env: { SCHEMA_REGISTRY_PASSWORD: password } },
    );
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain(`${topic}-missing`);
    expect(`${run.stdout}${run.stderr}`).not.toContain(password);
  });
});
