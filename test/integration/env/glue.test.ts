import {
  ConcurrentModificationException,
  CreateDatabaseCommand,
  CreateTableCommand,
  GetTableCommand,
  GetTableVersionsCommand,
  GlueClient,
  UpdateTableCommand,
} from "@aws-sdk/client-glue";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { awsTestClientConfig } from "../../env/aws.js";
import { uniqueName } from "../../env/unique-name.js";
import { testEnvironment } from "../../env/test-environment.js";

describe("Glue on the moto server, through our launcher", () => {
  const glue = new GlueClient(awsTestClientConfig(testEnvironment().awsEndpoint));
  const database = uniqueName("env_glue").replaceAll("-", "_");
  const table = "events";

  beforeAll(async () => {
    await glue.send(new CreateDatabaseCommand({ DatabaseInput: { Name: database } }));
    await glue.send(
      new CreateTableCommand({
        DatabaseName: database,
        TableInput: { Name: table, TableType: "EXTERNAL_TABLE", Parameters: { table_type: "ICEBERG", metadata_location: "s3://w/m/v0.json" } },
      }),
    );
  });
  afterAll(() => glue.destroy());

  async function currentTable(): Promise<{ versionId: string; metadataLocation: string | undefined }> {
    const { Table } = await glue.send(new GetTableCommand({ DatabaseName: database, Name: table }));
    return { versionId: Table?.VersionId ?? "", metadataLocation: Table?.Parameters?.["metadata_location"] };
  }

  function commitMetadata(versionId: string, metadataLocation: string): Promise<unknown> {
    return glue.send(
      new UpdateTableCommand({
        DatabaseName: database,
        VersionId: versionId,
        SkipArchive: true,
        TableInput: { Name: table, TableType: "EXTERNAL_TABLE", Parameters: { table_type: "ICEBERG", metadata_location: metadataLocation } },
      }),
    );
  }

  it("rejects the second of two UpdateTable calls made from the same VersionId, as Glue does", async () => {
    const base = await currentTable();
    await commitMetadata(base.versionId, "s3://w/m/v1-first-writer.json");
    await expect(commitMetadata(base.versionId, "s3://w/m/v1-second-writer.json")).rejects.toBeInstanceOf(ConcurrentModificationException);

    const after = await currentTable();
    expect(after.metadataLocation).toBe("s3://w/m/v1-first-writer.json");
    expect(after.versionId).not.toBe(base.versionId);

    await commitMetadata(after.versionId, "s3://w/m/v2.json");
    expect((await currentTable()).metadataLocation).toBe("s3://w/m/v2.json");
  });

  it("keeps no archived version of what a SkipArchive update replaced", async () => {
    const { TableVersions } = await glue.send(new GetTableVersionsCommand({ DatabaseName: database, TableName: table }));
    const archived = (TableVersions ?? []).map((version) => version.Table?.Parameters?.["metadata_location"]);
    expect(archived).toEqual([(await currentTable()).metadataLocation]);
  });
});
