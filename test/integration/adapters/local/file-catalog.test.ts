import { readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { createFileCatalog } from "../../../../lib/adapters/local/file-catalog.js";
import { createFolderObjectStore } from "../../../../lib/adapters/local/folder-object-store.js";
import type { LoadedTable, TableIdentifier } from "../../../../lib/catalog/catalog.js";
import { writeMetadataFile } from "../../../../lib/catalog/metadata-files.js";
import { tableLocationFor } from "../../../../lib/catalog/table-location.js";
import type { TableMetadata } from "../../../../lib/iceberg/table-metadata.js";
import { catalogContract, propertyCommit, schemaEvolutionCommit, hadoopMetadataFileNaming, sampleSchema, sampleTableMetadata, uniqueNamespace, withProperty } from "../../../contracts/catalog-contract.js";
import { readIcebergTable } from "../../../env/iceberg-reader.js";
import { raceProcesses } from "./race.js";
import { temporaryFolder } from "./temp-folder.js";

const objectStore = createFolderObjectStore();

catalogContract("File catalog", () => {
  const warehouse = temporaryFolder("file-catalog");
  return Promise.resolve({
    catalog: createFileCatalog({ warehouse }),
    objectStore,
    tableLocation: (identifier) => tableLocationFor(warehouse, identifier),
    metadataFileNaming: hadoopMetadataFileNaming,
  });
});

const warehouse = temporaryFolder("file-catalog");
const catalog = createFileCatalog({ warehouse });
const namespace = uniqueNamespace("file_catalog");
let tableNumber = 0;

function newTable(): { identifier: TableIdentifier; metadata: TableMetadata } {
  tableNumber += 1;
  const identifier = { namespace, name: `table_${tableNumber}` };
  return { identifier, metadata: sampleTableMetadata(tableLocationFor(warehouse, identifier)) };
}

async function createdTable(): Promise<LoadedTable> {
  const { identifier, metadata } = newTable();
  return catalog.createTable(identifier, metadata);
}

function versionHint(table: LoadedTable): string {
  return readFileSync(`${table.metadata.location}/metadata/version-hint.text`, "utf8");
}

describe("File catalog layout", () => {
  it("keeps each table in <warehouse>/<namespace>/<name>/metadata as v<N>.metadata.json, with version-hint.text holding N alone", async () => {
    const created = await createdTable();
    const committed = await catalog.commitTable(created, propertyCommit(created, "commit", "1"));
    const folder = `${warehouse}/${namespace}/table_${tableNumber}/metadata`;
    expect(created).toMatchObject({ metadataLocation: `${folder}/v1.metadata.json`, version: "1" });
    expect(committed).toMatchObject({ metadataLocation: `${folder}/v2.metadata.json`, version: "2" });
    expect(readdirSync(folder).sort()).toEqual(["v1.metadata.json", "v2.metadata.json", "version-hint.text"]);
    expect(versionHint(committed)).toBe("2");
    expect(committed.metadata["metadata-log"]).toEqual([{ "timestamp-ms": created.metadata["last-updated-ms"], "metadata-file": created.metadataLocation }]);
  });

  it("finds a version committed by a writer that crashed before moving the hint", async () => {
    const created = await createdTable();
    const committed = await catalog.commitTable(created, propertyCommit(created, "commit", "1"));
    const crashed = { ...withProperty(committed.metadata, "commit", "2"), "metadata-log": [...committed.metadata["metadata-log"], { "timestamp-ms": 1, "metadata-file": committed.metadataLocation }] };
    await writeMetadataFile(objectStore, `${created.metadata.location}/metadata/v3.metadata.json`, crashed);
    expect(versionHint(committed)).toBe("2");

    const loaded = await catalog.loadTable(created.identifier);
    expect(loaded).toMatchObject({ version: "3", metadataLocation: `${created.metadata.location}/metadata/v3.metadata.json`, metadata: crashed });
    // A commit from the version before the crash conflicts; one from the reloaded table moves the hint on.
    await expect(catalog.commitTable(committed, propertyCommit(committed, "commit", "late"))).rejects.toMatchObject({ code: "COMMIT_CONFLICT" });
    if (loaded === undefined) throw new Error("the table vanished");
    const next = await catalog.commitTable(loaded, propertyCommit(loaded, "commit", "3"));
    expect(next.version).toBe("4");
    expect(versionHint(next)).toBe("4");
  });

  it("loads a table whose hint is missing, or unreadable, from the versions it lists", async () => {
    const created = await createdTable();
    const committed = await catalog.commitTable(created, propertyCommit(created, "commit", "1"));
    const hint = `${created.metadata.location}/metadata/version-hint.text`;
    rmSync(hint);
    expect(await catalog.loadTable(created.identifier)).toEqual(committed);
    writeFileSync(hint, "v-something-else");
    expect(await catalog.loadTable(created.identifier)).toEqual(committed);
    writeFileSync(hint, "7");
    expect(await catalog.loadTable(created.identifier)).toEqual(committed);
  });

  it("refuses metadata located anywhere but the table's folder, writing nothing", async () => {
    const { identifier } = newTable();
    const elsewhere = sampleTableMetadata(`${warehouse}/elsewhere/${identifier.name}`);
    await expect(catalog.createTable(identifier, elsewhere)).rejects.toMatchObject({ code: "INTERNAL", message: expect.stringContaining(tableLocationFor(warehouse, identifier)) as unknown });
    expect(await catalog.loadTable(identifier)).toBeUndefined();
  });

  it("refuses a namespace or table name that is not a single folder", async () => {
    for (const identifier of [
      { namespace: "..", name: "orders" },
      { namespace: "sales", name: "a/b" },
      { namespace: "", name: "orders" },
    ]) {
      await expect(catalog.loadTable(identifier)).rejects.toMatchObject({ code: "CONFIGURATION" });
    }
  });

  it("refuses to commit on a base this catalog did not load", async () => {
    const created = await createdTable();
    const forged = { ...created, metadataLocation: `${created.metadata.location}/metadata/00000-x.metadata.json` };
    await expect(catalog.commitTable(forged, propertyCommit(created, "commit", "1"))).rejects.toMatchObject({ code: "INTERNAL" });
    await expect(catalog.commitTable({ ...created, version: "one" }, propertyCommit(created, "commit", "1"))).rejects.toMatchObject({ code: "INTERNAL" });
  });
});

describe("File catalog with other processes and engines", () => {
  it("lets exactly one of several processes committing from one base win; pyiceberg reads the winner through the version hint", async () => {
    const created = await createdTable();
    const contenders = [1, 2, 3, 4];
    const outcomes = await raceProcesses(contenders.map((contender) => ({ kind: "commit", warehouse, namespace, name: created.identifier.name, contender })));
    const winners = outcomes.filter(({ outcome }) => outcome.startsWith("committed"));
    expect(winners).toHaveLength(1);
    expect(outcomes.filter(({ outcome }) => outcome === "conflict")).toHaveLength(contenders.length - 1);
    const winner = `contender-${winners[0]?.contender}`;

    const loaded = await catalog.loadTable(created.identifier);
    expect(loaded).toMatchObject({ version: "2", metadata: { properties: { writer: winner } } });
    expect(readdirSync(`${created.metadata.location}/metadata`).sort()).toEqual(["v1.metadata.json", "v2.metadata.json", "version-hint.text"]);

    const readout = await readIcebergTable({ catalog: "local", tableLocation: created.metadata.location });
    expect(readout["metadata-location"]).toBe(loaded?.metadataLocation);
    expect(readout.properties["writer"]).toBe(winner);
  });

  it("pyiceberg reads the schema, spec and properties of a table we created and evolved", async () => {
    const created = await createdTable();
    const next = schemaEvolutionCommit(created, "commit.kind", "schema-evolution");
    const committed = await catalog.commitTable(created, next);
    const evolved = sampleSchema(1);
    evolved.fields.push({ id: 17, name: "exported_by", required: false, type: "string" });

    const readout = await readIcebergTable({ catalog: "local", tableLocation: created.metadata.location });
    expect(readout["metadata-location"]).toBe(committed.metadataLocation);
    expect(readout.location).toBe(created.metadata.location);
    expect(readout.properties).toMatchObject({ "commit.kind": "schema-evolution" });
    expect(readout.schemas).toEqual([
      { "schema-id": 0, fields: sampleSchema(0).fields },
      { "schema-id": 1, fields: evolved.fields },
    ]);
    expect(readout["partition-spec"]).toEqual([{ "source-id": 4, "field-id": 1000, name: "timestamp_day", transform: "day" }]);
    expect(readout.rows).toEqual([]);
  });
});
