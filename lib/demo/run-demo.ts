// `demo` (SPEC.md §6): the whole export on the embedded default, with no Kafka and no AWS.
// Sample order events are cut into Lambda-shaped Kafka events and go through the same ingest
// and commit code the functions run: the topic is enabled (table created), two rounds of
// batches are staged and committed as two snapshots, one batch is delivered twice (it must
// not be exported twice) and a few invalid payloads are skipped and counted.
import { randomUUID } from "node:crypto";
import type { Catalog } from "../catalog/catalog.js";
import { commitAllTables } from "../commit/commit-all.js";
import type { CommitContext } from "../commit/commit-table.js";
import { enableTopic } from "../control/enable-topic.js";
import { previewTable, type TablePreview } from "../control/table-preview.js";
import type { TopicAdmin } from "../control/topic-admin.js";
import { ExportError } from "../core/errors.js";
import type { Logger } from "../core/logger.js";
import { ingestKafkaBatch, type IngestContext, type IngestTotals } from "../ingest/ingest-batch.js";
import { addCounts, zeroCounts } from "../ingest/stage-partition.js";
import { createTableSchemaCache } from "../ingest/table-schema-cache.js";
import { parseKafkaEvent } from "../kafka/lambda-event.js";
import { compileProtobufSchema } from "../schema/protobuf-compiler.js";
import { createStaticSchemaRegistry } from "../registry/static-registry.js";
import type { StateStore, TopicExport } from "../state/state-store.js";
import type { ObjectStore } from "../storage/object-store.js";
import { demoMessageName, demoSchemaText, demoSubject, demoTopic } from "./demo-schema.js";
import { lambdaEventOfSamples } from "./sample-events.js";
import { sampleRecords, type SampleRecord } from "./sample-records.js";

export interface DemoPorts {
  stateStore: StateStore;
  catalog: Catalog;
  objectStore: ObjectStore;
  /** A local folder: the table goes to `<warehouse>/<namespace>/<table>`. */
  warehouse: string;
  namespace: string;
  /** Staged files of a table partition are merged up to this size (the configuration's). */
  targetFileSizeBytes: number;
  logger: Logger;
  now?: () => number;
}

export interface DemoOptions {
  records?: number;
  invalidRecords?: number;
  partitions?: number;
  /** Records in one Kafka event: the batch size of the event source mapping (Lambda's default is 100). */
  batchSize?: number;
  seed?: number;
}

export interface DemoReport {
  topic: string;
  topicExport: TopicExport;
  produced: { records: number; invalid: number; partitions: number; events: number };
  ingested: IngestTotals;
  /** Records of the batch delivered a second time, all skipped as already staged. */
  redelivered: number;
  snapshotsCommitted: number;
  /** What the export warned about (the skipped records), in order, for the report to show in place. */
  warnings: DemoWarning[];
  table: TablePreview;
}

export interface DemoWarning {
  message: string;
  attributes: Record<string, unknown> | undefined;
}

const demoDefaults = { records: 1_000, invalidRecords: 7, partitions: 3, batchSize: 100, seed: 20_261_124 };

export async function runDemo(ports: DemoPorts, options: DemoOptions = {}): Promise<DemoReport> {
  const { records, invalidRecords, partitions, batchSize, seed } = { ...demoDefaults, ...options };
  const now = ports.now ?? Date.now;
  const registry = createStaticSchemaRegistry({ [demoSubject]: demoSchemaText });
  const registered = await registry.latestSchema(demoSubject);
  const { messageType } = compileProtobufSchema(registered, { messageName: demoMessageName });
  const schemas = createTableSchemaCache({ stateStore: ports.stateStore, registry, wireFormat: "confluent", now });
  const nextOffsets = Array.from({ length: partitions }, () => 0);
  const warnings: DemoWarning[] = [];
  const logger: Logger = {
    info: (message, attributes) => {
      ports.logger.info(message, attributes);
    },
    warn: (message, attributes) => warnings.push({ message, attributes }),
    error: (message, attributes) => {
      ports.logger.error(message, attributes);
    },
  };

  const enabled = await enableTopic(
    { topic: demoTopic, table: "orders", messageName: demoMessageName, partitioning: "day" },
    { ...ports, now, schemas, topicAdmin: demoTopicAdmin(partitions, nextOffsets) },
  );
  if (enabled.status !== "enabled") throw new ExportError("CONFIGURATION", `the demo needs a fresh warehouse, but ${demoTopic} was already exported there`);

  const ingestContext: IngestContext = { stateStore: ports.stateStore, objectStore: ports.objectStore, schemas, logger, now, useIngestTime: false };
  const commitContext: CommitContext = { stateStore: ports.stateStore, catalog: ports.catalog, objectStore: ports.objectStore, logger, now, leaseOwner: randomUUID(), targetFileSizeBytes: ports.targetFileSizeBytes };
  const ingested = zeroCounts();
  let events = 0;
  let redelivered = 0;
  let snapshotsCommitted = 0;
  let lastEvent: unknown;
  const startMs = Date.UTC(2026, 10, 23, 22, 0, 0);
  for (const [round, count] of splitInTwo(records).entries()) {
    const samples = sampleRecords({ messageType, schemaId: registered.id, partitions, nextOffsets, count, invalid: round === 0 ? Math.ceil(invalidRecords / 2) : Math.floor(invalidRecords / 2), startMs: startMs + round * 2 * 3_600_000, seed: seed + round });
    if (round === 1 && lastEvent !== undefined) {
      // The event source delivers at least once: the same batch again must add nothing.
      const outcome = await ingestKafkaBatch(parseKafkaEvent(lastEvent), ingestContext);
      redelivered += outcome.totals.skippedAlreadyStaged;
    }
    for (const batch of batchesOf(samples, batchSize)) {
      lastEvent = lambdaEventOfSamples(demoTopic, batch);
      const outcome = await ingestKafkaBatch(parseKafkaEvent(lastEvent), ingestContext);
      addCounts(ingested, outcome.totals);
      events++;
    }
    const committed = await commitAllTables(commitContext);
    if (committed.failures.length > 0) throw committed.failures[0]?.error;
    snapshotsCommitted += committed.tables.filter((table) => table.status === "committed").length;
  }

  const table = await ports.catalog.loadTable(enabled.topicExport.table);
  if (table === undefined) throw new ExportError("NOT_FOUND", `the demo table ${enabled.topicExport.table.name} is missing from the catalog`);
  return {
    topic: demoTopic,
    topicExport: enabled.topicExport,
    produced: { records, invalid: invalidRecords, partitions, events },
    ingested,
    redelivered,
    snapshotsCommitted,
    warnings,
    table: await previewTable(table, ports.objectStore),
  };
}

// The demo's topic, as export control sees it: its partitions and where their logs end.
function demoTopicAdmin(partitions: number, nextOffsets: readonly number[]): TopicAdmin {
  const partitionNumbers = Array.from({ length: partitions }, (_, index) => index);
  return {
    describeTopic: (topic) => Promise.resolve(topic === demoTopic ? { topic, partitions: partitionNumbers, cleanupPolicy: "delete" } : undefined),
    logEndOffsets: () => Promise.resolve(Object.fromEntries(partitionNumbers.map((partition) => [partition, BigInt(nextOffsets[partition] ?? 0)]))),
  };
}

function splitInTwo(count: number): number[] {
  return [Math.ceil(count / 2), Math.floor(count / 2)];
}

function* batchesOf(samples: readonly SampleRecord[], size: number): Generator<SampleRecord[]> {
  for (let start = 0; start < samples.length; start += size) yield samples.slice(start, start + size);
}
