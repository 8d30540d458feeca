// The catalog examples of docs/deploy.md, taken as written: each one's `--param` lines are
// accepted by the stack, and give the functions the catalog settings the example describes.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { stackSettings } from "../../deploy/stack-settings.js";
import { projectRoot } from "../env/install.js";

const deployDoc = readFileSync(join(projectRoot, "docs", "deploy.md"), "utf8");
const kafka = { mskClusterArn: "arn:aws:kafka:eu-west-1:123456789012:cluster/events/0b1c2d3e-aaaa-bbbb-cccc-0123456789ab-7", topics: "orders" };

function exampleBlock(heading: string): string {
  const section = deployDoc.split(`\n### ${heading}\n`)[1]?.split("\n### ")[0] ?? "";
  return /```sh\n([\s\S]*?)```/.exec(section)?.[1] ?? "";
}

/** The `--param="name=value"` pairs of the first sh block under the heading. */
function exampleParameters(heading: string): Record<string, string> {
  const block = exampleBlock(heading);
  const pairs = [...block.matchAll(/--param="([^=]+)=([^"]*)"/g)].map((match): [string, string] => [match[1] ?? "", (match[2] ?? "").replace(/<[^>]+>/g, "acme")]);
  expect(pairs.length, `docs/deploy.md has a package line under "${heading}"`).toBeGreaterThan(0);
  return Object.fromEntries(pairs);
}

/** The example's `enable` names the catalog the stack is packaged with. */
function expectEnableWithSameCatalog(heading: string): void {
  const parameters = Object.fromEntries(Object.entries(exampleParameters(heading)));
  const enable = exampleBlock(heading).split("npx kafka-iceberg-export enable")[1]?.replace(/\\\n\s*/g, " ") ?? "";
  expect(enable, `an enable line under "${heading}"`).toContain(`--catalog rest --catalog-uri ${deployDocValue(parameters["restCatalogUri"])}`);
  expect(enable).toContain(`--catalog-warehouse ${deployDocValue(parameters["restCatalogWarehouse"])}`);
  expect(enable).toContain(`--namespace ${parameters["restCatalogNamespace"] ?? ""}`);
}

function deployDocValue(value: string | undefined): string {
  return (value ?? "").replace(/acme/g, "<account>");
}

describe("docs/deploy.md's catalog examples", () => {
  const stack = { service: "kafka-iceberg-export", stage: "prod" };

  it("Glue's REST endpoint: SigV4 for glue, the account as the warehouse, and an enable line with the same catalog", () => {
    const settings = stackSettings({ ...kafka, ...exampleParameters("Glue's Iceberg REST endpoint") }, stack);
    expect(settings.commitEnvironment).toMatchObject({ CATALOG: "rest", REST_CATALOG_URI: "https://glue.eu-west-1.amazonaws.com/iceberg", REST_CATALOG_WAREHOUSE: "123456789012" });
    expect(settings.catalogResources).toMatchObject({ GlueDatabase: { Properties: { DatabaseInput: { Name: "kafka" } } } });
    expectEnableWithSameCatalog("Glue's Iceberg REST endpoint");
  });

  it("S3 Tables: the table bucket as the warehouse, and our maintenance off", () => {
    const settings = stackSettings({ ...kafka, ...exampleParameters("S3 Tables") }, stack);
    expect(settings.commitEnvironment).toMatchObject({ REST_CATALOG_WAREHOUSE: "arn:aws:s3tables:eu-west-1:123456789012:bucket/exports" });
    expect(settings.maintainEnvironment).toMatchObject({ MAINTAIN_COMPACT: "false", MAINTAIN_EXPIRE_SNAPSHOTS: "false", MAINTAIN_REMOVE_ORPHANS: "false" });
    expectEnableWithSameCatalog("S3 Tables");
  });

  it("Polaris: OAuth2 with the secret's ARN, never the secret", () => {
    const settings = stackSettings({ ...kafka, ...exampleParameters("Polaris (or Snowflake Open Catalog), with OAuth2 client credentials") }, stack);
    expect(settings.commitEnvironment).toMatchObject({ REST_CATALOG_AUTH: "oauth2", REST_CATALOG_OAUTH_SCOPE: "PRINCIPAL_ROLE:ALL" });
    expect(settings.commitEnvironment["REST_CATALOG_SECRET_ARN"]).toMatch(/^arn:aws:secretsmanager:/);
    expect(JSON.stringify(settings)).not.toContain("clientSecret");
    expectEnableWithSameCatalog("Polaris (or Snowflake Open Catalog), with OAuth2 client credentials");
  });
});
