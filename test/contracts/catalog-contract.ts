// What every Catalog must do (lib/catalog/catalog.ts), written once and run over each adapter
// by its own test file: exact round trips, create-only registration, metadata files numbered
// consecutively under the catalog's own naming (Iceberg-Java's and pyiceberg's in Glue, the
// Hadoop catalog's in the local one), and commits that are a compare-and-swap.
import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import type { Catalog, LoadedTable, TableIdentifier } from "../../lib/catalog/catalog.js";
import { checkCommitLanded } from "../../lib/catalog/commit-outcome.js";
import { readMetadataFile } from "../../lib/catalog/metadata-files.js";
import { CommitConflictError, ExportError } from "../../lib/core/errors.js";
import { timestampPartitionSpec } from "../../lib/iceberg/partitioning.js";
import type { Snapshot, TableMetadata } from "../../lib/iceberg/table-metadata.js";
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

/** `metadata` with two snapshots whose ids exceed 2^53, the newer one current. */
export function withHugeSnapshotIds(metadata: TableMetadata): TableMetadata {
  const snapshot = (id: bigint, parent: bigint | undefined, sequenceNumber: number): Snapshot => ({
    "snapshot-id": id,
    ...(parent === undefined ? {} : { "parent-snapshot-id": parent }),
    "sequence-number": sequenceNumber,
    "timestamp-ms": metadata["last-updated-ms"] + sequenceNumber,
    "manifest-list": `${metadata.location}/metadata/snap-${id}-1-${randomUUID()}.avro`,
    summary: { operation: "append", "added-records": "3", "kafka-iceberg-export.commit-id": `commit-${sequenceNumber}` },
    "schema-id": 0,
  });
  const first = snapshot(hugeParentSnapshotId, undefined, 1);
  const second = snapshot(hugeSnapshotId, hugeParentSnapshotId, 2);
  return {
    ...metadata,
    "last-sequence-number": 2,
    "current-snapshot-id": hugeSnapshotId,
    snapshots: [first, second],
    "snapshot-log": [first, second].map((entry) => ({ "timestamp-ms": entry["timestamp-ms"], "snapshot-id": entry["snapshot-id"] })),
    refs: { main: { "snapshot-id": hugeSnapshotId, type: "branch" } },
  };
}

/** The next metadata a writer would commit: one property changed, a later update time. */
export function withProperty(metadata: TableMetadata, key: string, value: string): TableMetadata {
  return { ...metadata, "last-updated-ms": metadata["last-updated-ms"] + 1_000, properties: { ...metadata.properties, [key]: value } };
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

    it("creates a table and its missing namespace, writing the first metadata file, and loads it back exactly, snapshot ids beyond 2^53 included", async () => {
      const { identifier, metadata: sample } = newTable(uniqueNamespace("created"));
      const metadata = withHugeSnapshotIds(sample);
      const created = await catalog.createTable(identifier, metadata);

      expect(created.identifier).toEqual(identifier);
      expect(created.metadata).toEqual(metadata);
      expect(created.metadataLocation).toMatch(metadataFile(metadata.location, 0));
      expect(typeof created.version).toBe("string");

      const loaded = await catalog.loadTable(identifier);
      expect(loaded).toEqual(created);
      expect(loaded?.metadata["current-snapshot-id"]).toBe(hugeSnapshotId);
      expect(loaded?.metadata.snapshots[1]?.["parent-snapshot-id"]).toBe(hugeParentSnapshotId);
      expect(await readMetadataFile(fixture.objectStore, created.metadataLocation)).toEqual(metadata);
      const text = new TextDecoder().decode(await fixture.objectStore.get(created.metadataLocation));
      expect(text).toContain(`"current-snapshot-id": ${hugeSnapshotId}`);
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
      const first = await catalog.commitTable(created, withProperty(created.metadata, "commit", "1"));
      const second = await catalog.commitTable(first, withProperty(first.metadata, "commit", "2"));

      [created, first, second].forEach((table, offset) => expect(table.metadataLocation).toMatch(metadataFile(created.metadata.location, offset)));
      expect(new Set([created.version, first.version, second.version]).size).toBe(3);

      expect(second.metadata["metadata-log"]).toEqual([
        { "timestamp-ms": created.metadata["last-updated-ms"], "metadata-file": created.metadataLocation },
        { "timestamp-ms": first.metadata["last-updated-ms"], "metadata-file": first.metadataLocation },
      ]);
      expect(second.metadata.properties).toMatchObject({ commit: "2" });
      expect(await catalog.loadTable(created.identifier)).toEqual(second);
      expect(await readMetadataFile(fixture.objectStore, second.metadataLocation)).toEqual(second.metadata);
    });

    it("logs the replaced file once when the caller already logged it", async () => {
      const created = await createdTable();
      const logged = { ...created.metadata, "metadata-log": [{ "timestamp-ms": created.metadata["last-updated-ms"], "metadata-file": created.metadataLocation }] };
      const committed = await catalog.commitTable(created, logged);
      expect(committed.metadata["metadata-log"]).toEqual(logged["metadata-log"]);
    });

    it("commits again from a reloaded table", async () => {
      const created = await createdTable();
      await catalog.commitTable(created, withProperty(created.metadata, "commit", "1"));
      const reloaded = await catalog.loadTable(created.identifier);
      if (reloaded === undefined) throw new Error("the table vanished");
      const next = await catalog.commitTable(reloaded, withProperty(reloaded.metadata, "commit", "2"));
      expect(next.metadataLocation).toMatch(metadataFile(created.metadata.location, 2));
      expect(await catalog.loadTable(created.identifier)).toEqual(next);
    });

    it("refuses the second of two commits from one base with a retryable CommitConflictError; the table stays at the first", async () => {
      const base = await createdTable();
      const first = await catalog.commitTable(base, withProperty(base.metadata, "writer", "first"));
      const second = catalog.commitTable(base, withProperty(base.metadata, "writer", "second"));
      await expect(second).rejects.toBeInstanceOf(CommitConflictError);
      await expect(second).rejects.toMatchObject({ code: "COMMIT_CONFLICT", retryable: true });
      const loaded = await catalog.loadTable(base.identifier);
      expect(loaded?.metadataLocation).toBe(first.metadataLocation);
      expect(loaded?.metadata.properties["writer"]).toBe("first");
    });

    it("lets exactly one of two concurrent commits from one base win", async () => {
      const base = await createdTable();
      const outcomes = await Promise.allSettled(["a", "b"].map((writer) => catalog.commitTable(base, withProperty(base.metadata, "writer", writer))));
      const winners = outcomes.filter((outcome) => outcome.status === "fulfilled").map((outcome) => outcome.value);
      const losers = outcomes.filter((outcome) => outcome.status === "rejected").map((outcome) => outcome.reason as unknown);
      expect(winners).toHaveLength(1);
      expect(losers).toHaveLength(1);
      expect(losers[0]).toBeInstanceOf(CommitConflictError);
      expect(await catalog.loadTable(base.identifier)).toEqual(winners[0]);
    });

    it("refuses to commit metadata of another table", async () => {
      const base = await createdTable();
      const foreign = sampleTableMetadata(base.metadata.location);
      await expect(catalog.commitTable(base, foreign)).rejects.toMatchObject({ code: "INTERNAL", retryable: false });
      expect((await catalog.loadTable(base.identifier))?.metadataLocation).toBe(base.metadataLocation);
    });

    it("tells with checkCommitLanded whether a reloaded table is at, or past, the attempted metadata file", async () => {
      const created = await createdTable();
      const committed = await catalog.commitTable(created, withProperty(created.metadata, "commit", "1"));
      const neverRegistered = `${created.metadata.location}/metadata/00001-${randomUUID()}.metadata.json`;

      const reloaded = await catalog.loadTable(created.identifier);
      expect(checkCommitLanded(reloaded, committed.metadataLocation)).toBe(true);
      expect(checkCommitLanded(reloaded, neverRegistered)).toBe(false);
      expect(checkCommitLanded(undefined, committed.metadataLocation)).toBe(false);

      await catalog.commitTable(committed, withProperty(committed.metadata, "commit", "2"));
      expect(checkCommitLanded(await catalog.loadTable(created.identifier), committed.metadataLocation)).toBe(true);
    });
  });
}
