// A Glue table (on moto) exported from a topic whose value message holds every kind of field
// that has no column (test/fixtures/proto/empty/event.proto: google.protobuf.Empty, a message
// with no fields, direct and indirect recursion, alone, repeated and as map values), through
// the real path: the schema registered in the registry, `enable`, Lambda-shaped batches
// ingested, `commit`. Then the same topic after its empty message gained a field
// (event_v2.proto). Reusable: tests that write to such a table with other engines (Iceberg-Java
// INSERT, rewrite_data_files) start from `exportEmptyMessagesTable` and `evolveEmptyMessagesTable`.
import type protobuf from "protobufjs";
import { commitAllTables, type CommitRoundOutcome } from "../../../lib/commit/commit-all.js";
import { enableTopic, type EnableTopicOutcome } from "../../../lib/control/enable-topic.js";
import { silentLogger } from "../../../lib/core/logger.js";
import { ingestKafkaBatch, type IngestOutcome } from "../../../lib/ingest/ingest-batch.js";
import { parseKafkaEvent } from "../../../lib/kafka/lambda-event.js";
import { createCommitContext } from "../../../lib/runtime/commit-runtime.js";
import { createIngestContext } from "../../../lib/runtime/ingest-runtime.js";
import { encodeConfluentFrame } from "../../../lib/registry/wire-format.js";
import { readIcebergTable, type IcebergTableReadout } from "../../env/iceberg-reader.js";
import { testEnvironment } from "../../env/test-environment.js";
import { compileFixtureMessage, fixtureProto } from "../../lib/schema/compile-fixture.js";
import type { ControlHarness } from "../control/control-harness.js";
import { registerSchema } from "../ingest/ingest-harness.js";

export interface EmptyMessagesTable {
  topic: string;
  subject: string;
  /** Where pyiceberg (or another engine) finds the table in Glue on moto. */
  glueTable: { endpoint: string; database: string; table: string };
  enabled: EnableTopicOutcome;
  /** Per record produced so far, in offset order: the `val` the table must hold for it, as pyiceberg reads it (maps as lists of [key, value]). */
  expectedVals: Record<string, unknown>[];
  /** The next offset of the topic's one partition. */
  nextOffset: number;
}

/** Every kind of field without a column set, beside the fields that have one. */
export function eventMessage(index: number, options: { markerNote?: string } = {}): Record<string, unknown> {
  const marker = options.markerNote === undefined ? {} : { note: options.markerNote };
  return {
    id: `event-${index}`,
    ping: {},
    pings: [{}, {}],
    flags: { a: {}, b: {} },
    marker,
    markers: [marker, marker],
    markers_by_name: { m: marker },
    only_empty: { nothing: {} },
    tree: { label: `root-${index}`, left: { label: "l", left: { label: "ll" } }, children: [{ label: "c" }], children_by_name: { x: { label: "x" } } },
    department: { name: `dept-${index}`, head: { name: `head-${index}`, department: { name: "again" }, past_departments: [{ name: "old" }] } },
    count: index,
    // The oneof's Empty member for even records, its other member for odd ones.
    ...(index % 2 === 0 ? { ok: {} } : { error: `error-${index}` }),
  };
}

/** The `val` pyiceberg reads for `eventMessage(index)` under event.proto's table schema. */
export function expectedVal(index: number): Record<string, unknown> {
  return { id: `event-${index}`, tree: { label: `root-${index}` }, department: { name: `dept-${index}`, head: { name: `head-${index}` } }, count: index, error: index % 2 === 0 ? null : `error-${index}` };
}

export interface ExportEmptyMessagesOptions {
  records?: number;
  /** Runs after the topic and its schema exist, before `enable`: to set up an older table, say. */
  beforeEnable?: (topic: string) => Promise<void>;
}

export async function exportEmptyMessagesTable(harness: ControlHarness, options: ExportEmptyMessagesOptions = {}): Promise<EmptyMessagesTable> {
  const records = options.records ?? 20;
  const topic = await harness.createTopic({ partitions: 1 });
  const subject = `${topic}-value`;
  const schemaId = await registerSchema(testEnvironment().schemaRegistryUrl, subject, fixtureProto("empty/event.proto"));
  await options.beforeEnable?.(topic);
  const enabled = await enableTopic({ topic }, harness.context);
  const event = compileFixtureMessage("empty/event.proto", "Event");
  const table: EmptyMessagesTable = {
    topic,
    subject,
    glueTable: { endpoint: testEnvironment().awsEndpoint, database: enabled.topicExport.table.namespace, table: enabled.topicExport.table.name },
    enabled,
    expectedVals: [],
    nextOffset: Number(enabled.topicExport.startOffsets[0] ?? 0n),
  };
  const values = Array.from({ length: records }, (_, index) => eventMessage(index));
  await ingestAndCommit(harness, table, event, schemaId, values);
  table.expectedVals.push(...values.map((_, index) => expectedVal(index)));
  return table;
}

/**
 * event_v2.proto registered as the subject's next version (Marker has a field now), and
 * `records` more records ingested by a new ingest context (a new Lambda container reads the
 * latest schema) and committed. Their markers hold `note`; the earlier rows' are null.
 */
export async function evolveEmptyMessagesTable(harness: ControlHarness, table: EmptyMessagesTable, options: { records?: number } = {}): Promise<void> {
  const records = options.records ?? 10;
  const schemaId = await registerSchema(testEnvironment().schemaRegistryUrl, table.subject, fixtureProto("empty/event_v2.proto"));
  const event = compileFixtureMessage("empty/event_v2.proto", "Event");
  const first = table.expectedVals.length;
  const values = Array.from({ length: records }, (_, index) => eventMessage(first + index, { markerNote: `note-${first + index}` }));
  await ingestAndCommit(harness, table, event, schemaId, values);
  for (const [offset] of values.entries()) {
    const index = first + offset;
    const marker = { note: `note-${index}` };
    table.expectedVals.push({ ...expectedVal(index), marker, markers: [marker, marker], markers_by_name: [["m", marker]] });
  }
  for (const earlier of table.expectedVals.slice(0, first)) Object.assign(earlier, { marker: null, markers: null, markers_by_name: null });
}

export function readEmptyMessagesTable(table: EmptyMessagesTable): Promise<IcebergTableReadout> {
  return readIcebergTable({ catalog: "glue", ...table.glueTable });
}

async function ingestAndCommit(harness: ControlHarness, table: EmptyMessagesTable, type: protobuf.Type, schemaId: number, values: Record<string, unknown>[]): Promise<{ ingested: IngestOutcome; committed: CommitRoundOutcome }> {
  const runtime = { logger: silentLogger, awsClientConfig: harness.clientConfig };
  const ingestContext = createIngestContext(harness.config, runtime);
  const batch = {
    eventSource: "aws:kafka",
    eventSourceArn: "arn:aws:kafka:us-east-1:123456789012:cluster/test/0",
    records: {
      [`${table.topic}-0`]: values.map((value, index) => ({
        topic: table.topic,
        partition: 0,
        offset: table.nextOffset + index,
        timestamp: Date.UTC(2026, 11, 2, 12, 0, 0) + index,
        timestampType: "CREATE_TIME",
        key: Buffer.from(String(value["id"])).toString("base64"),
        value: Buffer.from(encodeConfluentFrame(schemaId, [0], type.encode(type.fromObject(value)).finish())).toString("base64"),
        headers: [],
      })),
    },
  };
  const ingested = await ingestKafkaBatch(parseKafkaEvent(batch), ingestContext);
  table.nextOffset += values.length;
  const committed = await commitAllTables({ ...createCommitContext(harness.config, runtime), backoff: () => Promise.resolve() });
  const failure = committed.failures.find((candidate) => candidate.table === `${table.glueTable.database}.${table.glueTable.table}`);
  if (failure !== undefined) throw new Error(`the commit of ${table.topic}'s table failed`, { cause: failure.error });
  return { ingested, committed };
}
