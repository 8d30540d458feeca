import { CreateTableCommand, GetTableCommand, GetTableVersionsCommand, GlueClient, UpdateTableCommand, type Table, type TableInput } from "@aws-sdk/client-glue";
import { CreateBucketCommand, S3Client } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGlueCatalog } from "../../../../lib/adapters/aws/glue-catalog.js";
import { createS3ObjectStore } from "../../../../lib/adapters/aws/s3-object-store.js";
import type { Catalog, LoadedTable, TableIdentifier } from "../../../../lib/catalog/catalog.js";
import { checkCommitLanded, CommitStateUnknownError } from "../../../../lib/catalog/commit-outcome.js";
import { metadataFileLocation, metadataFileVersion, writeMetadataFile } from "../../../../lib/catalog/metadata-files.js";
import { CommitConflictError, UnavailableError } from "../../../../lib/core/errors.js";
import type { TableMetadata } from "../../../../lib/iceberg/table-metadata.js";
import { catalogContract, propertyCommit, schemaEvolutionCommit, sampleSchema, sampleTableMetadata, uniqueNamespace, uuidMetadataFileNaming } from "../../../contracts/catalog-contract.js";
import { awsTestClientConfig } from "../../../env/aws.js";
import { readIcebergTable, writeSampleRowsWithPyiceberg } from "../../../env/iceberg-reader.js";
import { testEnvironment } from "../../../env/test-environment.js";
import { uniqueName } from "../../../env/unique-name.js";
import { closedPortEndpoint } from "./closed-port.js";

const endpoint = testEnvironment().awsEndpoint;
const glue = new GlueClient(awsTestClientConfig(endpoint));
const s3 = new S3Client(awsTestClientConfig(endpoint));
const bucket = uniqueName("glue-catalog");
const objectStore = createS3ObjectStore({ client: s3 });
const catalog = createGlueCatalog({ client: glue, objectStore });

beforeAll(async () => {
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
});
afterAll(() => {
  glue.destroy();
  s3.destroy();
});

function tableLocation(identifier: TableIdentifier): string {
  return `s3://${bucket}/${identifier.namespace}/${identifier.name}`;
}

catalogContract("Glue catalog", () => Promise.resolve({ catalog, objectStore, tableLocation, metadataFileNaming: uuidMetadataFileNaming }));

const namespace = uniqueNamespace("glue_catalog");
let tableNumber = 0;

function newTable(): { identifier: TableIdentifier; metadata: TableMetadata } {
  tableNumber += 1;
  const identifier = { namespace, name: `glue_table_${tableNumber}` };
  return { identifier, metadata: sampleTableMetadata(tableLocation(identifier)) };
}

async function createdTable(): Promise<LoadedTable> {
  const { identifier, metadata } = newTable();
  return catalog.createTable(identifier, metadata);
}

async function glueEntry(identifier: TableIdentifier): Promise<Table> {
  const { Table: entry } = await glue.send(new GetTableCommand({ DatabaseName: identifier.namespace, Name: identifier.name }));
  if (entry === undefined) throw new Error(`no Glue table ${identifier.namespace}.${identifier.name}`);
  return entry;
}

/** Another client (Athena, Lake Formation, a person in the console) edits the Glue entry. */
async function editGlueEntry(identifier: TableIdentifier, edit: (input: TableInput) => TableInput): Promise<void> {
  const entry = await glueEntry(identifier);
  const input: TableInput = { Name: entry.Name, TableType: entry.TableType, Parameters: entry.Parameters, StorageDescriptor: entry.StorageDescriptor };
  await glue.send(new UpdateTableCommand({ DatabaseName: identifier.namespace, TableInput: edit(input), VersionId: entry.VersionId }));
}

async function loadedTable(identifier: TableIdentifier, from: Catalog = catalog): Promise<LoadedTable> {
  const loaded = await from.loadTable(identifier);
  if (loaded === undefined) throw new Error(`no table ${identifier.namespace}.${identifier.name}`);
  return loaded;
}

/** What a fault does to one UpdateTable request: `send` hands it on to Glue. */
type UpdateTableFault = <T>(send: () => Promise<T>) => Promise<T>;

/** A catalog whose Glue client passes UpdateTable requests through `fault`; `maxAttempts` 1 turns the SDK's retries off. */
function catalogWithUpdateTableFault(fault: UpdateTableFault, maxAttempts = 1): { catalog: Catalog; client: GlueClient } {
  const client = new GlueClient({ ...awsTestClientConfig(endpoint), maxAttempts });
  client.middlewareStack.add((next, context) => (args) => (context.commandName === "UpdateTableCommand" ? fault(() => next(args)) : next(args)), {
    step: "deserialize",
    name: "updateTableFault",
  });
  return { catalog: createGlueCatalog({ client, objectStore }), client };
}

function loseAnswer(error: Error): UpdateTableFault {
  return async (send) => {
    await send();
    throw error;
  };
}

function refuseBeforeSending(error: Error): UpdateTableFault {
  return () => Promise.reject(error);
}

const socketReset = (): Error => Object.assign(new Error("socket hang up"), { code: "ECONNRESET" });
const timeout = (): Error => Object.assign(new Error("the request timed out"), { name: "TimeoutError" });
const internalServiceError = (): Error => Object.assign(new Error("internal failure"), { name: "InternalServiceException", $fault: "server", $metadata: { httpStatusCode: 500 } });
const connectionRefused = (): Error => Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" });
const throttled = (): Error => Object.assign(new Error("Rate exceeded"), { name: "ThrottlingException", $fault: "client", $metadata: { httpStatusCode: 400 } });
const invalidInput = (): Error => Object.assign(new Error("bad input"), { name: "InvalidInputException", $fault: "client", $metadata: { httpStatusCode: 400 } });

describe("Glue catalog entries", () => {
  it("registers an EXTERNAL_TABLE with table_type ICEBERG, the location, and the iceberg.field.* columns of every schema", async () => {
    const { identifier, metadata: sample } = newTable();
    const dropped = { id: 17, name: "legacy_code", required: true, type: "int" as const, doc: "the code before v2" };
    const metadata: TableMetadata = { ...sample, "last-column-id": 17, schemas: [{ ...sampleSchema(0), fields: [...sampleSchema(0).fields, dropped] }, sampleSchema(1)], "current-schema-id": 1 };
    const created = await catalog.createTable(identifier, metadata);

    const entry = await glueEntry(identifier);
    expect(entry.TableType).toBe("EXTERNAL_TABLE");
    expect(entry.Parameters).toEqual({ table_type: "ICEBERG", metadata_location: created.metadataLocation });
    expect(entry.StorageDescriptor?.Location).toBe(metadata.location);
    const fieldParameters = (id: number, optional: boolean, current: boolean): Record<string, string> => ({
      "iceberg.field.id": String(id),
      "iceberg.field.optional": String(optional),
      "iceberg.field.current": String(current),
    });
    expect(entry.StorageDescriptor?.Columns).toEqual([
      { Name: "key", Type: "struct<__raw__:binary>", Parameters: fieldParameters(1, true, true) },
      {
        Name: "val",
        Type: "struct<id:bigint,amount:decimal(20,0),tags:array<string>,attributes:map<string,int>,placed_at:timestamp>",
        Parameters: fieldParameters(2, true, true),
      },
      { Name: "headers", Type: "array<struct<key:string,value:binary>>", Parameters: fieldParameters(3, true, true) },
      { Name: "timestamp", Type: "timestamp", Parameters: fieldParameters(4, true, true) },
      { Name: "legacy_code", Type: "int", Comment: "the code before v2", Parameters: fieldParameters(17, false, false) },
    ]);
  });

  it("points metadata_location at the new file and previous_metadata_location at the one it replaced", async () => {
    const created = await createdTable();
    const first = await catalog.commitTable(created, propertyCommit(created, "commit", "1"));
    expect((await glueEntry(created.identifier)).Parameters).toEqual({
      table_type: "ICEBERG",
      metadata_location: first.metadataLocation,
      previous_metadata_location: created.metadataLocation,
    });
    const second = await catalog.commitTable(first, propertyCommit(first, "commit", "2"));
    expect((await glueEntry(created.identifier)).Parameters).toMatchObject({ metadata_location: second.metadataLocation, previous_metadata_location: first.metadataLocation });
  });

  it("commits with SkipArchive, so Glue keeps no archived version to count against its limit", async () => {
    const created = await createdTable();
    const first = await catalog.commitTable(created, propertyCommit(created, "commit", "1"));
    const second = await catalog.commitTable(first, propertyCommit(first, "commit", "2"));
    const { TableVersions } = await glue.send(new GetTableVersionsCommand({ DatabaseName: namespace, TableName: created.identifier.name }));
    expect((TableVersions ?? []).map((version) => version.Table?.Parameters?.["metadata_location"])).toEqual([second.metadataLocation]);
  });

  it("keeps what others set in the Glue entry: parameters, description, owner, column comments", async () => {
    const created = await createdTable();
    await editGlueEntry(created.identifier, (input) => ({
      ...input,
      Description: "orders exported from Kafka",
      Owner: "data-platform",
      Parameters: { ...input.Parameters, "lakeformation.aso.status": "false", classification: "iceberg" },
      StorageDescriptor: {
        ...input.StorageDescriptor,
        Columns: input.StorageDescriptor?.Columns?.map((column) => (column.Name === "timestamp" ? { ...column, Comment: "event time" } : column)),
      },
    }));
    const committed = await catalog.commitTable(await loadedTable(created.identifier), propertyCommit(created, "commit", "1"));

    const entry = await glueEntry(created.identifier);
    expect(entry.Parameters).toEqual({
      table_type: "ICEBERG",
      metadata_location: committed.metadataLocation,
      previous_metadata_location: created.metadataLocation,
      "lakeformation.aso.status": "false",
      classification: "iceberg",
    });
    expect(entry.Description).toBe("orders exported from Kafka");
    expect(entry.Owner).toBe("data-platform");
    expect(entry.StorageDescriptor?.Columns?.find((column) => column.Name === "timestamp")?.Comment).toBe("event time");
  });

  it("refuses a commit whose base moved before writing a metadata file or updating Glue", async () => {
    const base = await createdTable();
    const winner = await catalog.commitTable(base, propertyCommit(base, "writer", "winner"));
    const versionAfterWinner = (await glueEntry(base.identifier)).VersionId;

    await expect(catalog.commitTable(base, propertyCommit(base, "writer", "late"))).rejects.toBeInstanceOf(CommitConflictError);
    expect(await objectStore.list(`${base.metadata.location}/metadata/`)).toEqual([base.metadataLocation, winner.metadataLocation].sort());
    expect((await glueEntry(base.identifier)).VersionId).toBe(versionAfterWinner);
  });

  it("relies on Glue's VersionId guard when another writer commits between our check and our UpdateTable", async () => {
    const base = await createdTable();
    let other: LoadedTable | undefined;
    const commitFirst: UpdateTableFault = async (send) => {
      other = await catalog.commitTable(base, propertyCommit(base, "writer", "other"));
      return send();
    };
    const racing = catalogWithUpdateTableFault(commitFirst);
    try {
      await expect(racing.catalog.commitTable(base, propertyCommit(base, "writer", "ours"))).rejects.toBeInstanceOf(CommitConflictError);
      expect((await loadedTable(base.identifier)).metadataLocation).toBe(other?.metadataLocation);
    } finally {
      racing.client.destroy();
    }
  });

  it("refuses a commit when only the Glue entry changed since the load, writing no metadata file, and commits after a reload", async () => {
    const base = await createdTable();
    await editGlueEntry(base.identifier, (input) => ({ ...input, Parameters: { ...input.Parameters, owner_team: "payments" } }));
    await expect(catalog.commitTable(base, propertyCommit(base, "commit", "1"))).rejects.toBeInstanceOf(CommitConflictError);
    expect(await objectStore.list(`${base.metadata.location}/metadata/`)).toEqual([base.metadataLocation]);

    const reloaded = await loadedTable(base.identifier);
    expect(reloaded.metadataLocation).toBe(base.metadataLocation);
    expect(reloaded.version).not.toBe(base.version);
    await catalog.commitTable(reloaded, propertyCommit(reloaded, "commit", "1"));
    expect((await glueEntry(base.identifier)).Parameters).toMatchObject({ owner_team: "payments" });
  });

  it("refuses to load a Glue table that is not Iceberg, and accepts table_type in any case", async () => {
    const hive = { namespace, name: "hive_orders" };
    await catalog.createTable(newTable().identifier, sampleTableMetadata(tableLocation(hive))); // makes sure the database exists
    await glue.send(new CreateTableCommand({ DatabaseName: namespace, TableInput: { Name: hive.name, TableType: "EXTERNAL_TABLE", Parameters: { classification: "parquet" } } }));
    await expect(catalog.loadTable(hive)).rejects.toMatchObject({ code: "CONFIGURATION", retryable: false, message: expect.stringContaining(`${namespace}.hive_orders is not an Iceberg table`) as unknown });

    const lowercase = { namespace, name: "lowercase_type" };
    const metadata = sampleTableMetadata(tableLocation(lowercase));
    const metadataLocation = metadataFileLocation(metadata, { version: 0 });
    await writeMetadataFile(objectStore, metadataLocation, metadata);
    await glue.send(
      new CreateTableCommand({ DatabaseName: namespace, TableInput: { Name: lowercase.name, TableType: "EXTERNAL_TABLE", Parameters: { table_type: "iceberg", metadata_location: metadataLocation } } }),
    );
    expect((await loadedTable(lowercase)).metadata).toEqual(metadata);
  });
});

describe("Glue catalog failures", () => {
  it.each([
    ["a connection reset", socketReset],
    ["a timeout", timeout],
    ["an HTTP 500", internalServiceError],
  ])("reports %s after UpdateTable was applied as COMMIT_STATE_UNKNOWN, and checkCommitLanded then finds the commit", async (_, error) => {
    const base = await createdTable();
    const faulty = catalogWithUpdateTableFault(loseAnswer(error()));
    try {
      const commit = faulty.catalog.commitTable(base, propertyCommit(base, "commit", "1"));
      await expect(commit).rejects.toBeInstanceOf(CommitStateUnknownError);
      await expect(commit).rejects.toMatchObject({ code: "COMMIT_STATE_UNKNOWN", retryable: true });
      const attempted = ((await commit.catch((failure: unknown) => failure)) as CommitStateUnknownError).attemptedMetadataLocation;
      expect(metadataFileVersion(attempted ?? "")).toBe(1);
      expect(checkCommitLanded(await catalog.loadTable(base.identifier), attempted ?? "")).toBe(true);
    } finally {
      faulty.client.destroy();
    }
  });

  it("reports a lost answer whose SDK retry then met ConcurrentModificationException as COMMIT_STATE_UNKNOWN, not as a conflict", async () => {
    const base = await createdTable();
    let calls = 0;
    const loseFirstAnswer: UpdateTableFault = async (send) => {
      calls += 1;
      const output = await send();
      if (calls === 1) throw socketReset();
      return output;
    };
    const faulty = catalogWithUpdateTableFault(loseFirstAnswer, 3);
    try {
      const failure = await faulty.catalog.commitTable(base, propertyCommit(base, "commit", "1")).catch((error: unknown) => error);
      expect(calls).toBe(2);
      expect(failure).toBeInstanceOf(CommitStateUnknownError);
      expect(checkCommitLanded(await catalog.loadTable(base.identifier), (failure as CommitStateUnknownError).attemptedMetadataLocation ?? "")).toBe(true);
    } finally {
      faulty.client.destroy();
    }
  });

  it.each([
    ["a refused connection", connectionRefused],
    ["throttling", throttled],
  ])("reports %s of UpdateTable as retryable STORAGE_UNAVAILABLE; the table stays at its base", async (_, error) => {
    const base = await createdTable();
    const faulty = catalogWithUpdateTableFault(refuseBeforeSending(error()));
    try {
      const commit = faulty.catalog.commitTable(base, propertyCommit(base, "commit", "1"));
      await expect(commit).rejects.toBeInstanceOf(UnavailableError);
      await expect(commit).rejects.toMatchObject({ code: "STORAGE_UNAVAILABLE", retryable: true, message: expect.stringContaining("UpdateTable") as unknown });
      expect((await loadedTable(base.identifier)).metadataLocation).toBe(base.metadataLocation);
    } finally {
      faulty.client.destroy();
    }
  });

  it("reports an UpdateTable Glue refuses as invalid as a non-retryable INTERNAL error", async () => {
    const base = await createdTable();
    const faulty = catalogWithUpdateTableFault(refuseBeforeSending(invalidInput()));
    try {
      await expect(faulty.catalog.commitTable(base, propertyCommit(base, "commit", "1"))).rejects.toMatchObject({ code: "INTERNAL", retryable: false });
    } finally {
      faulty.client.destroy();
    }
  });

  it("reports an unreachable Glue as retryable STORAGE_UNAVAILABLE naming the call and table", async () => {
    const unreachable = new GlueClient({ ...awsTestClientConfig(await closedPortEndpoint()), maxAttempts: 1 });
    try {
      const offline = createGlueCatalog({ client: unreachable, objectStore });
      const { identifier, metadata } = newTable();
      const load = offline.loadTable(identifier);
      await expect(load).rejects.toBeInstanceOf(UnavailableError);
      await expect(load).rejects.toMatchObject({ retryable: true, message: expect.stringContaining(`GetTable ${identifier.namespace}.${identifier.name}`) as unknown });
      await expect(offline.createTable(identifier, metadata)).rejects.toMatchObject({ code: "STORAGE_UNAVAILABLE", retryable: true });
      const base = await createdTable();
      await expect(offline.commitTable(base, propertyCommit(base, "commit", "1"))).rejects.toMatchObject({ code: "STORAGE_UNAVAILABLE", retryable: true });
    } finally {
      unreachable.destroy();
    }
  });
});

describe("Glue catalog with pyiceberg", () => {
  it("pyiceberg reads the table we created and committed through Glue", async () => {
    const { identifier, metadata } = newTable();
    const created = await catalog.createTable(identifier, metadata);
    const next = schemaEvolutionCommit(created, "commit.kind", "schema-evolution");
    const committed = await catalog.commitTable(created, next);
    const evolved = sampleSchema(1);
    evolved.fields.push({ id: 17, name: "exported_by", required: false, type: "string" });

    const readout = await readIcebergTable({ catalog: "glue", endpoint, database: identifier.namespace, table: identifier.name });
    expect(readout["format-version"]).toBe(2);
    expect(readout["metadata-location"]).toBe(committed.metadataLocation);
    expect(readout.location).toBe(metadata.location);
    expect(readout.properties).toMatchObject({ "commit.kind": "schema-evolution", "write.format.default": "parquet" });
    expect(readout["current-schema-id"]).toBe(1);
    expect(readout.schemas).toEqual([
      { "schema-id": 0, fields: sampleSchema(0).fields },
      { "schema-id": 1, fields: evolved.fields },
    ]);
    expect(readout["partition-spec"]).toEqual([{ "source-id": 4, "field-id": 1000, name: "timestamp_day", transform: "day" }]);
    expect(readout["current-snapshot-id"]).toBeNull();
    expect(readout.snapshots).toEqual([]);
    expect(readout.rows).toEqual([]);
  });

  it("loads a table pyiceberg created and appended to, commits on it, and pyiceberg reads and appends after our commit", async () => {
    const identifier = { namespace, name: "written_by_pyiceberg" };
    const location = tableLocation(identifier);
    const written = await writeSampleRowsWithPyiceberg({ endpoint, database: namespace, table: identifier.name, location, firstId: 0, count: 3 });

    const loaded = await loadedTable(identifier);
    expect(loaded.metadataLocation).toBe(written["metadata-location"]);
    expect(loaded.metadata.location).toBe(location);
    expect(loaded.metadata.snapshots).toHaveLength(1);
    expect(typeof loaded.metadata["current-snapshot-id"]).toBe("bigint");

    const pyicebergEntry = await glueEntry(identifier);
    const committed = await catalog.commitTable(loaded, propertyCommit(loaded, "exported-by", "kafka-iceberg-export"));
    expect(metadataFileVersion(committed.metadataLocation)).toBe(metadataFileVersion(loaded.metadataLocation) + 1);
    expect((await glueEntry(identifier)).Parameters).toEqual({
      ...pyicebergEntry.Parameters,
      metadata_location: committed.metadataLocation,
      previous_metadata_location: loaded.metadataLocation,
    });

    const afterOurCommit = await readIcebergTable({ catalog: "glue", endpoint, database: namespace, table: identifier.name });
    expect(afterOurCommit["metadata-location"]).toBe(committed.metadataLocation);
    expect(afterOurCommit.properties).toMatchObject({ "exported-by": "kafka-iceberg-export" });
    expect(afterOurCommit.rows.map((row) => row["id"])).toEqual([0, 1, 2]);

    await writeSampleRowsWithPyiceberg({ endpoint, database: namespace, table: identifier.name, location, firstId: 100, count: 2 });
    const afterTheirAppend = await readIcebergTable({ catalog: "glue", endpoint, database: namespace, table: identifier.name });
    expect(afterTheirAppend.properties).toMatchObject({ "exported-by": "kafka-iceberg-export" });
    expect(afterTheirAppend.rows.map((row) => row["id"]).sort((a, b) => Number(a) - Number(b))).toEqual([0, 1, 2, 100, 101]);
    expect(checkCommitLanded(await catalog.loadTable(identifier), committed.metadataLocation)).toBe(true);
  });
});
