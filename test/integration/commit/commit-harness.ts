// Ingest and commit wired together on the real local servers, and read back by pyiceberg
// (and Iceberg-Java) through the same catalog: Glue, the REST catalog, or the local file
// catalog's version hint.
import { commitAllTables, type CommitRoundOutcome } from "../../../lib/commit/commit-all.js";
import type { CommitContext } from "../../../lib/commit/commit-table.js";
import { silentLogger } from "../../../lib/core/logger.js";
import { ingestKafkaBatch, type IngestOutcome } from "../../../lib/ingest/ingest-batch.js";
import { parseKafkaEvent } from "../../../lib/kafka/lambda-event.js";
import { createCommitContext } from "../../../lib/runtime/commit-runtime.js";
import { readIcebergTable, type IcebergTableReadout, type TableAddress } from "../../env/iceberg-reader.js";
import { testEnvironment } from "../../env/test-environment.js";
import { createIngestHarness, order, type EventRecord, type IngestHarness, type IngestHarnessOptions } from "../ingest/ingest-harness.js";

export interface CommitHarness extends IngestHarness {
  /** A fresh commit context, as a new Lambda container builds it; overrides replace its parts. */
  commitContext(overrides?: Partial<CommitContext>): CommitContext;
  ingestOrders(partition: number, from: number, to: number): Promise<IngestOutcome>;
  ingestRecords(partition: number, records: EventRecord[]): Promise<IngestOutcome>;
  commit(overrides?: Partial<CommitContext>): Promise<CommitRoundOutcome>;
  readTable(): Promise<IcebergTableReadout>;
  /** The table as pyiceberg and Iceberg-Java reach it, through the harness's catalog. */
  tableAddress: TableAddress;
  glueTable: { endpoint: string; database: string; table: string };
  /** The REST catalog's URI when the harness uses it (pyiceberg appends through it). */
  restUri: string | undefined;
}

export async function createCommitHarness(options: Omit<IngestHarnessOptions, "logger"> = {}): Promise<CommitHarness> {
  const harness = await createIngestHarness(options);
  await harness.enableTopic();
  const [database = "", table = ""] = harness.table.split(".");
  const glueTable = { endpoint: testEnvironment().awsEndpoint, database, table };

  function commitContext(overrides: Partial<CommitContext> = {}): CommitContext {
    return { ...createCommitContext(harness.config, { logger: silentLogger, awsClientConfig: harness.clientConfig }), backoff: () => Promise.resolve(), ...overrides };
  }

  function ingestRecords(partition: number, records: EventRecord[]): Promise<IngestOutcome> {
    return ingestKafkaBatch(parseKafkaEvent(harness.event(partition, records)), harness.context);
  }

  function ingestOrders(partition: number, from: number, to: number): Promise<IngestOutcome> {
    return ingestRecords(
      partition,
      Array.from({ length: to - from + 1 }, (_, index) => ({ offset: from + index, value: order(from + index) })),
    );
  }

  function commit(overrides: Partial<CommitContext> = {}): Promise<CommitRoundOutcome> {
    return commitAllTables(commitContext(overrides));
  }

  const { catalog } = harness.config;
  const restUri = catalog.type === "rest" ? catalog.uri : undefined;
  const tableAddress: TableAddress =
    catalog.type === "local" ? { catalog: "local", tableLocation: harness.tableLocation } : restUri === undefined ? { catalog: "glue", ...glueTable } : { catalog: "rest", uri: restUri, ...glueTable };

  function readTable(): Promise<IcebergTableReadout> {
    return readIcebergTable(tableAddress);
  }

  return { ...harness, glueTable, tableAddress, restUri, commitContext, ingestOrders, ingestRecords, commit, readTable };
}

/** The order ids a table holds, sorted, with duplicates kept: "exactly once" is checked on this. */
export function orderIds(readout: IcebergTableReadout): string[] {
  return readout.rows.map((row) => (row["val"] as { id?: string } | null)?.id ?? "<no val>").sort();
}

export function expectedOrderIds(...ranges: [number, number][]): string[] {
  return ranges.flatMap(([from, to]) => Array.from({ length: to - from + 1 }, (_, index) => `order-${from + index}`)).sort();
}
