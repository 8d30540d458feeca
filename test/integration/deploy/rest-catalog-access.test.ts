// The REST catalog statements of the functions' IAM policies (deploy/iam-policies.ts),
// evaluated by @cloud-copilot/iam-simulate (an independent implementation of IAM's policy
// evaluation) for the calls Glue's and S3 Tables' Iceberg REST endpoints authorise: each
// function may do what its part needs, on the stack's namespace or table bucket only.
import { describe, expect, it } from "vitest";
import { commitPolicies, ingestPolicies, maintainPolicies, type InlinePolicy } from "../../../deploy/iam-policies.js";
import { parseStackParameters, type RawParameters } from "../../../deploy/stack-parameters.js";
import { evaluateAction } from "./iam-evaluation.js";

const msk = { mskClusterArn: "arn:aws:kafka:us-east-1:123456789012:cluster/events/0b1c2d3e-aaaa-bbbb-cccc-0123456789ab-7", topics: "orders" };
const tableBucketArn = "arn:aws:s3tables:us-east-1:123456789012:bucket/exports";
const secretArn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:polaris-AbCdEf";
const glueArn = (resource: string): string => `arn:aws:glue:us-east-1:123456789012:${resource}`;

function roles(raw: RawParameters): Record<"ingest" | "commit" | "maintain", InlinePolicy[]> {
  const parameters = parseStackParameters({ ...msk, ...raw }, { consumerGroup: "export", glueDatabase: "kafka" });
  return { ingest: ingestPolicies(parameters), commit: commitPolicies(parameters), maintain: maintainPolicies(parameters) };
}

type Case = [role: "ingest" | "commit" | "maintain", action: string, resource: string, expected: "Allowed" | "ImplicitlyDenied"];

describe("IAM for S3 Tables' Iceberg REST endpoint", () => {
  const s3Tables = roles({ catalog: "rest", restCatalogUri: "https://s3tables.us-east-1.amazonaws.com/iceberg", restCatalogWarehouse: tableBucketArn });
  const table = `${tableBucketArn}/table/0f3c8d2e-5a1b-4c6d-9e7f-8a9b0c1d2e3f`;
  it.each<Case>([
    ["ingest", "s3tables:GetTableBucket", tableBucketArn, "Allowed"],
    ["ingest", "s3tables:GetNamespace", tableBucketArn, "Allowed"],
    ["ingest", "s3tables:GetTable", table, "Allowed"],
    ["ingest", "s3tables:GetTableData", table, "Allowed"],
    ["ingest", "s3tables:GetTableMetadataLocation", table, "Allowed"],
    ["ingest", "s3tables:PutTableData", table, "Allowed"],
    ["ingest", "s3tables:UpdateTableMetadataLocation", table, "ImplicitlyDenied"],
    ["ingest", "s3tables:CreateTable", tableBucketArn, "ImplicitlyDenied"],
    ["commit", "s3tables:CreateNamespace", tableBucketArn, "Allowed"],
    ["commit", "s3tables:CreateTable", tableBucketArn, "Allowed"],
    ["commit", "s3tables:UpdateTableMetadataLocation", table, "Allowed"],
    ["commit", "s3tables:GetTableData", table, "Allowed"],
    ["commit", "s3tables:UpdateTableMetadataLocation", "arn:aws:s3tables:us-east-1:123456789012:bucket/other/table/0f3c8d2e-5a1b-4c6d-9e7f-8a9b0c1d2e3f", "ImplicitlyDenied"],
    ["commit", "s3tables:DeleteTable", table, "ImplicitlyDenied"],
    ["commit", "s3tables:DeleteTableBucket", tableBucketArn, "ImplicitlyDenied"],
    ["maintain", "s3tables:UpdateTableMetadataLocation", table, "Allowed"],
    ["maintain", "s3tables:CreateTable", tableBucketArn, "ImplicitlyDenied"],
    ["commit", "glue:UpdateTable", glueArn("table/kafka/orders"), "ImplicitlyDenied"],
  ])("%s %s on %s: %s", async (role, action, resource, expected) => {
    expect(await evaluateAction(s3Tables[role], { action, resource })).toBe(expected);
  });
});

describe("IAM for Glue's Iceberg REST endpoint", () => {
  const glueRest = roles({ catalog: "rest", restCatalogUri: "https://glue.us-east-1.amazonaws.com/iceberg" });
  it.each<Case>([
    ["ingest", "glue:GetCatalog", glueArn("catalog"), "Allowed"],
    ["ingest", "glue:GetTable", glueArn("table/kafka/orders"), "Allowed"],
    ["ingest", "glue:UpdateTable", glueArn("table/kafka/orders"), "ImplicitlyDenied"],
    ["commit", "glue:GetDatabase", glueArn("database/kafka"), "Allowed"],
    ["commit", "glue:CreateTable", glueArn("table/kafka/orders"), "Allowed"],
    ["commit", "glue:UpdateTable", glueArn("table/kafka/orders"), "Allowed"],
    ["commit", "glue:UpdateTable", glueArn("table/other/orders"), "ImplicitlyDenied"],
    ["commit", "glue:DeleteTable", glueArn("table/kafka/orders"), "ImplicitlyDenied"],
    ["maintain", "glue:UpdateTable", glueArn("table/kafka/orders"), "Allowed"],
    ["maintain", "glue:CreateTable", glueArn("table/kafka/orders"), "ImplicitlyDenied"],
    ["commit", "lakeformation:GetDataAccess", "*", "ImplicitlyDenied"],
  ])("%s %s on %s: %s", async (role, action, resource, expected) => {
    expect(await evaluateAction(glueRest[role], { action, resource })).toBe(expected);
  });

  it("lets every function get Lake Formation's vended credentials only when asked for", async () => {
    const vended = roles({ catalog: "rest", restCatalogUri: "https://glue.us-east-1.amazonaws.com/iceberg", restCatalogVendedCredentials: "true" });
    for (const role of ["ingest", "commit", "maintain"] as const) expect(await evaluateAction(vended[role], { action: "lakeformation:GetDataAccess", resource: "*" })).toBe("Allowed");
  });
});

describe("IAM for a catalog with OAuth2 client credentials (Polaris)", () => {
  const polaris = roles({ catalog: "rest", restCatalogUri: "https://polaris.example.com/api/catalog", restCatalogOauthClientId: "exporter", restCatalogSecretArn: secretArn });
  it("lets every function read the catalog's secret and no other, and grants nothing in Glue or S3 Tables", async () => {
    for (const role of ["ingest", "commit", "maintain"] as const) {
      expect(await evaluateAction(polaris[role], { action: "secretsmanager:GetSecretValue", resource: secretArn })).toBe("Allowed");
      expect(await evaluateAction(polaris[role], { action: "secretsmanager:GetSecretValue", resource: `${secretArn}-other` })).toBe("ImplicitlyDenied");
      expect(await evaluateAction(polaris[role], { action: "glue:GetTable", resource: glueArn("table/kafka/orders") })).toBe("ImplicitlyDenied");
      expect(await evaluateAction(polaris[role], { action: "s3tables:GetTableData", resource: `${tableBucketArn}/table/x` })).toBe("ImplicitlyDenied");
    }
  });
});
