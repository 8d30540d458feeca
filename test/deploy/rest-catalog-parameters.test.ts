import { describe, expect, it } from "vitest";
import type { InlinePolicy } from "../../deploy/iam-policies.js";
import { parseStackParameters, type RawParameters } from "../../deploy/stack-parameters.js";
import { stackSettings } from "../../deploy/stack-settings.js";

const defaults = { consumerGroup: "kafka-iceberg-export-dev", glueDatabase: "kafka_iceberg_export_dev" };
const stack = { service: "kafka-iceberg-export", stage: "dev" };
const msk: RawParameters = { mskClusterArn: "arn:aws:kafka:eu-west-1:123456789012:cluster/events/0b1c2d3e-aaaa-bbbb-cccc-0123456789ab-7", topics: "orders" };
const tableBucketArn = "arn:aws:s3tables:eu-west-1:123456789012:bucket/exports";
const secretArn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:polaris-AbCdEf";
const glueRest: RawParameters = { ...msk, catalog: "rest", restCatalogUri: "https://glue.eu-west-1.amazonaws.com/iceberg" };
const s3Tables: RawParameters = { ...msk, catalog: "rest", restCatalogUri: "https://s3tables.eu-west-1.amazonaws.com/iceberg", restCatalogWarehouse: tableBucketArn };
const polaris: RawParameters = {
  ...msk,
  catalog: "rest",
  restCatalogUri: "https://acme.snowflakecomputing.com/polaris/api/catalog/",
  restCatalogWarehouse: "lake",
  restCatalogOauthClientId: "exporter",
  restCatalogOauthScope: "PRINCIPAL_ROLE:ALL",
  restCatalogSecretArn: secretArn,
};

function statements(policies: InlinePolicy[]): { Sid: string; Action: string[]; Resource: unknown }[] {
  return policies.flatMap((policy) => policy.PolicyDocument.Statement).map(({ Sid, Action, Resource }) => ({ Sid, Action, Resource }));
}

describe("the catalog parameters", () => {
  it("default to Glue's API, with the Glue database", () => {
    const settings = stackSettings(msk, stack);
    expect(settings.commitEnvironment).toMatchObject({ CATALOG: "glue", GLUE_DATABASE: "kafka_iceberg_export_dev" });
    expect(Object.keys(settings.catalogResources)).toEqual(["GlueDatabase"]);
  });

  it("pass Glue's REST endpoint to all three functions: SigV4 inferred, this account's catalog, the namespace as the stack's Glue database", () => {
    const settings = stackSettings(glueRest, stack);
    for (const environment of [settings.ingestEnvironment, settings.commitEnvironment, settings.maintainEnvironment]) {
      expect(environment).toMatchObject({ CATALOG: "rest", REST_CATALOG_URI: "https://glue.eu-west-1.amazonaws.com/iceberg", REST_CATALOG_WAREHOUSE: { Ref: "AWS::AccountId" }, REST_CATALOG_NAMESPACE: "kafka", REST_CATALOG_VENDED_CREDENTIALS: "false" });
      expect(Object.keys(environment)).not.toContain("GLUE_DATABASE");
      expect(Object.keys(environment)).not.toContain("REST_CATALOG_AUTH");
    }
    expect(settings.catalogResources).toMatchObject({ GlueDatabase: { Type: "AWS::Glue::Database", Properties: { DatabaseInput: { Name: "kafka" } } } });
    expect(settings.maintainEnvironment).toMatchObject({ MAINTAIN_COMPACT: "true", MAINTAIN_EXPIRE_SNAPSHOTS: "true", MAINTAIN_REMOVE_ORPHANS: "true" });
  });

  it("grant Glue's REST endpoint GetCatalog and the namespace's tables: ingest reads, commit creates and updates, maintain updates", () => {
    const settings = stackSettings(glueRest, stack);
    const glueActions = (policies: InlinePolicy[]): string[] => statements(policies).flatMap((statement) => statement.Action).filter((action) => action.startsWith("glue:")).sort();
    expect(glueActions(settings.ingestPolicies)).toEqual(["glue:GetCatalog", "glue:GetDatabase", "glue:GetTable"]);
    expect(glueActions(settings.commitPolicies)).toEqual(["glue:CreateTable", "glue:GetCatalog", "glue:GetDatabase", "glue:GetTable", "glue:UpdateTable"]);
    expect(glueActions(settings.maintainPolicies)).toEqual(["glue:GetCatalog", "glue:GetDatabase", "glue:GetTable", "glue:UpdateTable"]);
    const tables = statements(settings.commitPolicies).find((statement) => statement.Sid === "StackTables");
    expect(JSON.stringify(tables?.Resource)).toContain('"table/kafka/*"');
    // Lake Formation's credential vending only when vended credentials are asked for.
    expect(statements(settings.commitPolicies).flatMap((statement) => statement.Action)).not.toContain("lakeformation:GetDataAccess");
    const vended = stackSettings({ ...glueRest, restCatalogVendedCredentials: "true" }, stack);
    expect(statements(vended.ingestPolicies).find((statement) => statement.Sid === "VendedCredentials")).toEqual({ Sid: "VendedCredentials", Action: ["lakeformation:GetDataAccess"], Resource: "*" });
  });

  it("scope S3 Tables to the table bucket and its tables, create only from commit, and leave maintenance to the service", () => {
    const settings = stackSettings(s3Tables, stack);
    expect(settings.commitEnvironment).toMatchObject({ CATALOG: "rest", REST_CATALOG_WAREHOUSE: tableBucketArn });
    expect(settings.catalogResources).toEqual({});
    expect(settings.catalogOutputs).toMatchObject({ RestCatalogUri: { Value: "https://s3tables.eu-west-1.amazonaws.com/iceberg" }, RestCatalogWarehouse: { Value: tableBucketArn } });
    expect(settings.maintainEnvironment).toMatchObject({ MAINTAIN_COMPACT: "false", MAINTAIN_EXPIRE_SNAPSHOTS: "false", MAINTAIN_REMOVE_ORPHANS: "false" });
    expect(stackSettings({ ...s3Tables, maintainCompact: "true" }, stack).maintainEnvironment).toMatchObject({ MAINTAIN_COMPACT: "true", MAINTAIN_EXPIRE_SNAPSHOTS: "false" });
    const commit = statements(settings.commitPolicies).filter((statement) => statement.Action.some((action) => action.startsWith("s3tables:")));
    expect(commit).toEqual([
      { Sid: "TableBucket", Action: ["s3tables:GetTableBucket", "s3tables:GetNamespace", "s3tables:CreateNamespace", "s3tables:CreateTable"], Resource: tableBucketArn },
      {
        Sid: "BucketTables",
        Action: ["s3tables:GetTable", "s3tables:GetTableMetadataLocation", "s3tables:GetTableData", "s3tables:PutTableData", "s3tables:UpdateTableMetadataLocation"],
        Resource: `${tableBucketArn}/table/*`,
      },
    ]);
    const ingest = statements(settings.ingestPolicies).flatMap((statement) => statement.Action);
    expect(ingest.filter((action) => action.startsWith("s3tables:"))).toEqual(["s3tables:GetTableBucket", "s3tables:GetNamespace", "s3tables:GetTable", "s3tables:GetTableMetadataLocation", "s3tables:GetTableData", "s3tables:PutTableData"]);
    expect(statements(settings.commitPolicies).flatMap((statement) => statement.Action).filter((action) => action.startsWith("glue:"))).toEqual([]);
  });

  it("give Polaris its OAuth2 client, scope and secret, and every function the secret", () => {
    const settings = stackSettings(polaris, stack);
    expect(settings.commitEnvironment).toMatchObject({
      CATALOG: "rest",
      REST_CATALOG_URI: "https://acme.snowflakecomputing.com/polaris/api/catalog",
      REST_CATALOG_WAREHOUSE: "lake",
      REST_CATALOG_OAUTH_CLIENT_ID: "exporter",
      REST_CATALOG_OAUTH_SCOPE: "PRINCIPAL_ROLE:ALL",
      REST_CATALOG_SECRET_ARN: secretArn,
    });
    for (const policies of [settings.ingestPolicies, settings.commitPolicies, settings.maintainPolicies]) {
      expect(statements(policies).filter((statement) => statement.Sid === "RestCatalogSecret")).toEqual([{ Sid: "RestCatalogSecret", Action: ["secretsmanager:GetSecretValue"], Resource: secretArn }]);
      expect(statements(policies).flatMap((statement) => statement.Action).filter((action) => action.startsWith("glue:") || action.startsWith("s3tables:"))).toEqual([]);
    }
    expect(settings.catalogResources).toEqual({});
  });

  it.each<[string, RawParameters, string]>([
    ["an unknown catalog", { ...msk, catalog: "hive" }, "configuration setting catalog: must be one of glue, rest, got 'hive'"],
    ["a REST parameter with catalog=glue", { ...msk, restCatalogUri: "https://glue.eu-west-1.amazonaws.com/iceberg" }, "configuration setting restCatalogUri: applies with catalog=rest only"],
    ["rest without a URI", { ...msk, catalog: "rest" }, "configuration setting restCatalogUri: is required with catalog=rest"],
    ["a URI with credentials", { ...msk, catalog: "rest", restCatalogUri: "https://user:pw@polaris.example.com/api/catalog" }, "configuration setting restCatalogUri: must not hold credentials ('https://polaris.example.com/api/catalog'"],
    ["S3 Tables without the table bucket", { ...s3Tables, restCatalogWarehouse: "exports" }, "configuration setting restCatalogWarehouse: must be the table bucket's ARN with S3 Tables"],
    ["Glue with a warehouse that is no account id", { ...glueRest, restCatalogWarehouse: "lake" }, "configuration setting restCatalogWarehouse: must be the account id of the Glue Data Catalog"],
    ["an upper-case namespace with S3 Tables", { ...s3Tables, restCatalogNamespace: "Kafka" }, "configuration setting restCatalogNamespace: must be lower-case letters, digits and underscores with S3 Tables"],
    ["a nested namespace", { ...polaris, restCatalogNamespace: "lake.kafka" }, "configuration setting restCatalogNamespace: must be one level"],
    ["sigv4 to a host naming no service", { ...polaris, restCatalogAuth: "sigv4", restCatalogOauthClientId: "", restCatalogOauthScope: "", restCatalogSecretArn: "" }, "configuration setting restCatalogSigningName: is required with restCatalogAuth=sigv4"],
    ["a signing name the stack grants nothing for", { ...glueRest, restCatalogSigningName: "execute-api" }, "configuration setting restCatalogSigningName: must be glue or s3tables"],
    ["a signing region that is no region", { ...glueRest, restCatalogSigningRegion: "Ireland" }, "configuration setting restCatalogSigningRegion: must be an AWS region"],
    ["oauth2 without a secret", { ...polaris, restCatalogSecretArn: "" }, "configuration setting restCatalogSecretArn: is required with restCatalogAuth=oauth2"],
    ["bearer without a secret", { ...msk, catalog: "rest", restCatalogUri: "https://nessie.example.com/iceberg", restCatalogAuth: "bearer" }, "configuration setting restCatalogSecretArn: is required with restCatalogAuth=bearer"],
    ["a secret with sigv4", { ...glueRest, restCatalogSecretArn: secretArn }, "configuration setting restCatalogSecretArn: is not used with restCatalogAuth=sigv4"],
    ["a signing name without sigv4", { ...polaris, restCatalogSigningName: "glue" }, "configuration setting restCatalogSigningName: applies with restCatalogAuth=sigv4 only"],
    ["a client id with bearer", { ...polaris, restCatalogAuth: "bearer" }, "configuration setting restCatalogOauthClientId: applies with restCatalogAuth=oauth2 only"],
    ["a secret ARN of another service", { ...polaris, restCatalogSecretArn: "arn:aws:ssm:eu-west-1:123456789012:parameter/x" }, "configuration setting restCatalogSecretArn: is not a valid ARN"],
    ["glueDatabase with catalog=rest", { ...glueRest, glueDatabase: "lake" }, "configuration setting glueDatabase: applies with catalog=glue only"],
    ["vended credentials neither on nor off", { ...glueRest, restCatalogVendedCredentials: "yes" }, "configuration setting restCatalogVendedCredentials: must be one of true, false"],
  ])("refuse %s, naming the parameter", (_case, raw, message) => {
    expect(() => parseStackParameters(raw, defaults)).toThrow(message);
  });
});
