// What every Catalog must do (lib/catalog/catalog.ts), written once and run over each adapter
// by its own test file: exact round trips, create-only registration, metadata files numbered
// consecutively under the catalog's own naming (Iceberg-Java's and pyiceberg's in Glue and a
// REST catalog, the Hadoop catalog's in the local one), and commits whose requirements make
// them a compare-and-swap.
import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import type { Catalog, LoadedTable, TableCommit, TableIdentifier } from "../../lib/catalog/catalog.js";
import { checkCommitLanded } from "../../lib/catalog/commit-outcome.js";
import { readMetadataFile } from "../../lib/catalog/metadata-files.js";
import { CommitConflictError, ExportError } from "../../lib/core/errors.js";
import { timestampPartitionSpec } from "../../lib/iceberg/partitioning.js";
import type { Snapshot, TableMetadata } from "../../lib/iceberg/table-metadata.js";
import { refSnapshotId } from "../../lib/iceberg/table-requirements.js";
import type { IcebergSchema } from "../../lib/iceberg/types.js";
import type { ObjectStore } from "../../lib/storage/object-store.js";
import { uniqueName } from "../env/unique-name.js";

export interface CatalogFixture {
  catalog: Catalog;
  /** Where the catalog writes metadata files. */
  objectStore: ObjectStore;
  /** Where a new table's files go, e.g. `s3://bucket/<namespace>/<name>`. */
  tableLocation(identifier: TableIdentifier): string;
  /** How the catalog names the metadata files under `<location>/metadata/`. */
  metadataFileNaming: MetadataFileNaming;
  /**
   * The catalog builds a new table's first metadata itself from the schema, partition spec,
   * sort order and properties, with its own table uuid and times (a REST catalog); the
   * others register the metadata they are given, exactly.
   */
  buildsFirstMetadata?: boolean;
}

export interface MetadataFileNaming {
  /** The number of a new table's first metadata file. */
  first: number;
  /** A regular expression source matching exactly the name of metadata file `number`. */
  fileName(number: number): string;
}

const uuidPattern = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

/** Iceberg-Java's and pyiceberg's `00000-<uuid>.metadata.json`, as Glue tables use it. */
export const uuidMetadataFileNaming: MetadataFileNaming = {
  first: 0,
  fileName: (number) => `${String(number).padStart(5, "0")}-${uuidPattern}\\.metadata\\.json`,
};

/** The Hadoop catalog's `v1.metadata.json`, as the local file catalog uses it. */
export const hadoopMetadataFileNaming: MetadataFileNaming = {
  first: 1,
  fileName: (number) => `v${number}\\.metadata\\.json`,
};

/** Beyond Number.MAX_SAFE_INTEGER, where a double would silently round. */
const hugeSnapshotId = 2n ** 63n - 25n;
const hugeParentSnapshotId = 2n ** 62n + 5n;

/** A fresh namespace: a valid Glue database name and folder name. */
export function uniqueNamespace(prefix = "catalog"): string {
  return uniqueName(prefix).replaceAll("-", "_");
}

/**
 * The table shape of SPEC.md §3 (nested struct, list, map, decimal, timestamptz), partitioned
 * by day(timestamp), with no snapshot: valid v2 metadata any Iceberg reader can open.
 */
export function sampleTableMetadata(location: string): TableMetadata {
  return {
    "format-version": 2,
    "table-uuid": randomUUID(),
    location,
    "last-sequence-number": 0,
    "last-updated-ms": 1_767_225_600_000,
    "last-column-id": 16,
    schemas: [sampleSchema()],
    "current-schema-id": 0,
    "partition-specs": [timestampPartitionSpec("day", 4)],
    "default-spec-id": 0,
    "last-partition-id": 1000,
    properties: { "write.format.default": "parquet" },
    snapshots: [],
    "snapshot-log": [],
    "metadata-log": [],
    "sort-orders": [{ "order-id": 0, fields: [] }],
    "default-sort-order-id": 0,
    refs: {},
  };
}

export function sampleSchema(schemaId = 0): IcebergSchema {
  return {
    type: "struct",
    "schema-id": schemaId,
    fields: [
      { id: 1, name: "key", required: false, type: { type: "struct", fields: [{ id: 5, name: "__raw__", required: false, type: "binary" }] } },
      {
        id: 2,
        name: "val",
        required: false,
        type: {
          type: "struct",
          fields: [
            { id: 6, name: "id", required: true, type: "long" },
            { id: 7, name: "amount", required: false, type: "decimal(20, 0)" },
            { id: 8, name: "tags", required: true, type: { type: "list", "element-id": 11, "element-required": true, element: "string" } },
            { id: 9, name: "attributes", required: true, type: { type: "map", "key-id": 12, key: "string", "value-id": 13, "value-required": false, value: "int" } },
            { id: 10, name: "placed_at", required: false, type: "timestamptz" },
          ],
        },
      },
      {
        id: 3,
        name: "headers",
        required: false,
        type: {
          type: "list",
          "element-id": 14,
          "element-required": true,
          element: {
            type: "struct",
            fields: [
              { id: 15, name: "key", required: false, type: "string" },
              { id: 16, name: "value", required: false, type: "binary" },
            ],
          },
        },
      },
      { id: 4, name: "timestamp", required: false, type: "timestamptz" },
    ],
  };
}

/** Two snapshots whose ids exceed 2^53 (their manifest lists are never read), the newer one current. */
export function hugeSnapshotsCommit(base: LoadedTable, nowMs = base.metadata["last-updated-ms"] + 1_000): TableCommit {
  const metadata = base.metadata;
  const snapshot = (id: bigint, parent: bigint | undefined, sequenceNumber: number): Snapshot => ({
    "snapshot-id": id,
    ...(parent === undefined ? {} : { "parent-snapshot-id": parent }),
    "sequence-number": metadata["last-sequence-number"] + sequenceNumber,
    "timestamp-ms": nowMs + sequenceNumber,
    "manifest-list": `${metadata.location}/metadata/snap-${id}-1-${randomUUID()}.avro`,
    summary: { operation: "append", "added-records": "3", "kafka-iceberg-export.commit-id": `commit-${sequenceNumber}` },
    "schema-id": metadata["current-schema-id"],
  });
  const first = snapshot(hugeParentSnapshotId, refSnapshotId(metadata, "main"), 1);
  const second = snapshot(hugeSnapshotId, hugeParentSnapshotId, 2);
  return {
    updates: [
      { action: "add-snapshot", snapshot: first },
      { action: "add-snapshot", snapshot: second },
      { action: "set-snapshot-ref", "ref-name": "main", "snapshot-id": hugeSnapshotId, type: "branch" },
    ],
    requirements: [{ type: "assert-ref-snapshot-id", ref: "main", "snapshot-id": refSnapshotId(metadata, "main") ?? null }],
    nowMs,
  };
}

/** `metadata` with one property changed and a later update time, for a table's first metadata. */
export function withProperty(metadata: TableMetadata, key: string, value: string): TableMetadata {
  return { ...metadata, "last-updated-ms": metadata["last-updated-ms"] + 1_000, properties: { ...metadata.properties, [key]: value } };
}

/** A commit that sets one property; it requires only the table's identity, as a property writer does. */
export function propertyCommit(base: LoadedTable, key: string, value: string): TableCommit {
  return {
    updates: [{ action: "set-properties", updates: { [key]: value } }],
    requirements: [{ type: "assert-table-uuid", uuid: base.metadata["table-uuid"] }],
    nowMs: base.metadata["last-updated-ms"] + 1_000,
  };
}

/**
 * An append's shape (a snapshot whose manifest list is never read, and a property), requiring
 * main to be where the base had it: of two such commits from one base, only one can land.
 */
export function appendCommit(base: LoadedTable, key: string, value: string): TableCommit {
  const parent = refSnapshotId(base.metadata, "main");
  const snapshotId = BigInt(1 + Math.floor(Math.random() * 2 ** 52));
  const nowMs = base.metadata["last-updated-ms"] + 1_000;
  const snapshot: Snapshot = {
    "snapshot-id": snapshotId,
    ...(parent === undefined ? {} : { "parent-snapshot-id": parent }),
    "sequence-number": base.metadata["last-sequence-number"] + 1,
    "timestamp-ms": nowMs,
    "manifest-list": `${base.metadata.location}/metadata/snap-${snapshotId}-1-${randomUUID()}.avro`,
    summary: { operation: "append" },
    "schema-id": base.metadata["current-schema-id"],
  };
  return {
    updates: [{ action: "add-snapshot", snapshot }, { action: "set-snapshot-ref", "ref-name": "main", "snapshot-id": snapshotId, type: "branch" }, { action: "set-properties", updates: { [key]: value } }],
    requirements: [
      { type: "assert-table-uuid", uuid: base.metadata["table-uuid"] },
      { type: "assert-ref-snapshot-id", ref: "main", "snapshot-id": parent ?? null },
    ],
    nowMs,
  };
}

/** A schema evolution: the sample schema with one more optional column, made current, and one property. */
export function schemaEvolutionCommit(base: LoadedTable, key: string, value: string): TableCommit {
  const current = base.metadata.schemas.find((schema) => schema["schema-id"] === base.metadata["current-schema-id"]) ?? sampleSchema();
  const evolved: IcebergSchema = {
    ...structuredClone(current),
    "schema-id": Math.max(...base.metadata.schemas.map((schema) => schema["schema-id"])) + 1,
    fields: [...structuredClone(current.fields), { id: base.metadata["last-column-id"] + 1, name: "exported_by", required: false, type: "string" }],
  };
  return {
    updates: [{ action: "add-schema", schema: evolved }, { action: "set-current-schema", "schema-id": -1 }, { action: "set-properties", updates: { [key]: value } }],
    requirements: [
      { type: "assert-current-schema-id", "current-schema-id": base.metadata["current-schema-id"] },
      { type: "assert-last-assigned-field-id", "last-assigned-field-id": base.metadata["last-column-id"] },
    ],
    nowMs: base.metadata["last-updated-ms"] + 1_000,
  };
}

export function catalogContract(name: string, makeFixture: () => Promise<CatalogFixture>): void {
  describe(`${name} satisfies the Catalog contract`, () => {
    let fixture: CatalogFixture;
    let catalog: Catalog;
    // The tests share one namespace and never meet: each has its own table.
    const namespace = uniqueNamespace();
    let tableNumber = 0;

    beforeAll(async () => {
      fixture = await makeFixture();
      catalog = fixture.catalog;
    });

    /** Matches exactly the location of metadata file `first + offset` of the table at `tableLocation`. */
    function metadataFile(tableLocation: string, offset: number): RegExp {
      const folder = `${tableLocation}/metadata/`.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
      return new RegExp(`^${folder}${fixture.metadataFileNaming.fileName(fixture.metadataFileNaming.first + offset)}$`);
    }

    function newTable(tableNamespace = namespace): { identifier: TableIdentifier; metadata: TableMetadata } {
      tableNumber += 1;
      const identifier = { namespace: tableNamespace, name: `table_${tableNumber}` };
      return { identifier, metadata: sampleTableMetadata(fixture.tableLocation(identifier)) };
    }

    async function createdTable(): Promise<LoadedTable> {
      const { identifier, metadata } = newTable();
      return catalog.createTable(identifier, metadata);
    }

    it("has no table under an identifier never created, in a missing namespace or an existing one", async () => {
      expect(await catalog.loadTable({ namespace: uniqueNamespace("missing"), name: "orders" })).toBeUndefined();
      await createdTable();
      expect(await catalog.loadTable({ namespace, name: "never_created" })).toBeUndefined();
    });

    /** The first metadata as the catalog keeps it: exactly the given one, or built from its parts. */
    function expectFirstMetadata(created: LoadedTable, metadata: TableMetadata): void {
      if (fixture.buildsFirstMetadata !== true) {
        expect(created.metadata).toEqual(metadata);
        return;
      }
      expect(created.metadata).toMatchObject({ "format-version": 2, location: metadata.location, snapshots: [] });
      expect(created.metadata["current-snapshot-id"]).toBeUndefined();
      expect(created.metadata.properties).toMatchObject(metadata.properties);
      const schema = created.metadata.schemas.find((candidate) => candidate["schema-id"] === created.metadata["current-schema-id"]);
      expect(schema?.fields).toEqual(metadata.schemas[0]?.fields);
      expect(created.metadata["partition-specs"].find((spec) => spec["spec-id"] === created.metadata["default-spec-id"])?.fields).toEqual(metadata["partition-specs"][0]?.fields);
    }

    it("creates a table and its missing namespace, writing the first metadata file, and loads it back exactly", async () => {
      const { identifier, metadata } = newTable(uniqueNamespace("created"));
      const created = await catalog.createTable(identifier, metadata);

      expect(created.identifier).toEqual(identifier);
      expectFirstMetadata(created, metadata);
      expect(created.metadataLocation).toMatch(metadataFile(metadata.location, 0));
      expect(typeof created.version).toBe("string");
      expect(await catalog.loadTable(identifier)).toEqual(created);
      expect(await readMetadataFile(fixture.objectStore, created.metadataLocation)).toEqual(created.metadata);
    });

    it("commits and loads back snapshot ids beyond 2^53 exactly", async () => {
      const created = await createdTable();
      const committed = await catalog.commitTable(created, hugeSnapshotsCommit(created));
      expect(committed.metadata["current-snapshot-id"]).toBe(hugeSnapshotId);
      const loaded = await catalog.loadTable(created.identifier);
      expect(loaded).toEqual(committed);
      expect(loaded?.metadata["current-snapshot-id"]).toBe(hugeSnapshotId);
      expect(loaded?.metadata.snapshots.map((snapshot) => [snapshot["snapshot-id"], snapshot["parent-snapshot-id"]])).toEqual([
        [hugeParentSnapshotId, undefined],
        [hugeSnapshotId, hugeParentSnapshotId],
      ]);
      expect(await readMetadataFile(fixture.objectStore, committed.metadataLocation)).toEqual(committed.metadata);
      const text = new TextDecoder().decode(await fixture.objectStore.get(committed.metadataLocation));
      expect(text).toMatch(new RegExp(`"current-snapshot-id" ?: ?${hugeSnapshotId}\\b`));
    });

    it("refuses to create a table that exists with TABLE_EXISTS, keeping the first", async () => {
      const { identifier, metadata } = newTable();
      const first = await catalog.createTable(identifier, metadata);
      const second = catalog.createTable(identifier, withProperty(sampleTableMetadata(metadata.location), "writer", "second"));
      await expect(second).rejects.toBeInstanceOf(ExportError);
      await expect(second).rejects.toMatchObject({ code: "TABLE_EXISTS", retryable: false });
      expect(await catalog.loadTable(identifier)).toEqual(first);
    });

    it("lets exactly one of two concurrent creates of a table win; the other gets TABLE_EXISTS", async () => {
      const { identifier, metadata } = newTable();
      const outcomes = await Promise.allSettled([metadata, sampleTableMetadata(metadata.location)].map((candidate) => catalog.createTable(identifier, candidate)));
      const winners = outcomes.filter((outcome) => outcome.status === "fulfilled").map((outcome) => outcome.value);
      const losers = outcomes.filter((outcome) => outcome.status === "rejected").map((outcome) => outcome.reason as unknown);
      expect(winners).toHaveLength(1);
      expect(losers).toEqual([expect.objectContaining({ code: "TABLE_EXISTS" })]);
      expect(await catalog.loadTable(identifier)).toEqual(winners[0]);
    });

    it("commits the next two metadata files after the first, each logging the file it replaced", async () => {
      const created = await createdTable();
      const first = await catalog.commitTable(created, propertyCommit(created, "commit", "1"));
      const second = await catalog.commitTable(first, appendCommit(first, "commit", "2"));

      [created, first, second].forEach((table, offset) => expect(table.metadataLocation).toMatch(metadataFile(created.metadata.location, offset)));
      expect(new Set([created.version, first.version, second.version]).size).toBe(3);

      expect(second.metadata["metadata-log"]).toEqual([
        { "timestamp-ms": created.metadata["last-updated-ms"], "metadata-file": created.metadataLocation },
        { "timestamp-ms": first.metadata["last-updated-ms"], "metadata-file": first.metadataLocation },
      ]);
      expect(second.metadata.properties).toMatchObject({ commit: "2" });
      expect(second.metadata.snapshots).toHaveLength(1);
      expect(await catalog.loadTable(created.identifier)).toEqual(second);
      expect(await readMetadataFile(fixture.objectStore, second.metadataLocation)).toEqual(second.metadata);
    });

    it("commits again from a reloaded table", async () => {
      const created = await createdTable();
      await catalog.commitTable(created, appendCommit(created, "commit", "1"));
      const reloaded = await catalog.loadTable(created.identifier);
      if (reloaded === undefined) throw new Error("the table vanished");
      const next = await catalog.commitTable(reloaded, appendCommit(reloaded, "commit", "2"));
      expect(next.metadataLocation).toMatch(metadataFile(created.metadata.location, 2));
      expect(await catalog.loadTable(created.identifier)).toEqual(next);
    });

    it("refuses the second of two appends from one base with a retryable CommitConflictError; the table stays at the first", async () => {
      const base = await createdTable();
      const first = await catalog.commitTable(base, appendCommit(base, "writer", "first"));
      const second = catalog.commitTable(base, appendCommit(base, "writer", "second"));
      await expect(second).rejects.toBeInstanceOf(CommitConflictError);
      await expect(second).rejects.toMatchObject({ code: "COMMIT_CONFLICT", retryable: true });
      const loaded = await catalog.loadTable(base.identifier);
      expect(loaded?.metadataLocation).toBe(first.metadataLocation);
      expect(loaded?.metadata.properties["writer"]).toBe("first");
    });

    it("lets exactly one of two concurrent appends from one base win", async () => {
      const base = await createdTable();
      const outcomes = await Promise.allSettled(["a", "b"].map((writer) => catalog.commitTable(base, appendCommit(base, "writer", writer))));
      const winners = outcomes.filter((outcome) => outcome.status === "fulfilled").map((outcome) => outcome.value);
      const losers = outcomes.filter((outcome) => outcome.status === "rejected").map((outcome) => outcome.reason as unknown);
      expect(winners).toHaveLength(1);
      expect(losers).toHaveLength(1);
      expect(losers[0]).toBeInstanceOf(CommitConflictError);
      expect(await catalog.loadTable(base.identifier)).toEqual(winners[0]);
    });

    it("refuses a commit whose requirements the table does not meet (another table's uuid) with a CommitConflictError", async () => {
      const base = await createdTable();
      const foreign = { ...base, metadata: { ...base.metadata, "table-uuid": randomUUID() } };
      await expect(catalog.commitTable(base, propertyCommit(foreign, "commit", "1"))).rejects.toMatchObject({ code: "COMMIT_CONFLICT", retryable: true });
      expect((await catalog.loadTable(base.identifier))?.metadataLocation).toBe(base.metadataLocation);
    });

    it("tells with checkCommitLanded whether a reloaded table is at, or past, the attempted metadata file", async () => {
      const created = await createdTable();
      const committed = await catalog.commitTable(created, propertyCommit(created, "commit", "1"));
      const neverRegistered = `${created.metadata.location}/metadata/00001-${randomUUID()}.metadata.json`;

      const reloaded = await catalog.loadTable(created.identifier);
      expect(checkCommitLanded(reloaded, committed.metadataLocation)).toBe(true);
      expect(checkCommitLanded(reloaded, neverRegistered)).toBe(false);
      expect(checkCommitLanded(undefined, committed.metadataLocation)).toBe(false);

      await catalog.commitTable(committed, propertyCommit(committed, "commit", "2"));
      expect(checkCommitLanded(await catalog.loadTable(created.identifier), committed.metadataLocation)).toBe(true);
    });
  });
}
