// Staging as ingest does it (SPEC.md §2 step 2), without the registry and the Kafka event:
// order events decoded with the table's schema state, written with writeDataFile as a real
// Parquet data file in the table's day partition, and staged with the Kafka partition's
// watermark in one conditional write. A batch starts at a multiple of its size and a day
// spans 1,000 offsets (or `offsetsPerDay`, a multiple of the batch size), so every batch is
// one file in one day partition. The file is named
// and placed like ingest's own (data/<partition path>/<topic>-<partition>-<offsets>).
import { applyTimeTransform, partitionPath, timestampPartitionSpec } from "../lib/iceberg/partitioning.js";
import { tableKey, valStructOf } from "../lib/ingest/table-schema-cache.js";
import { writeDataFile, type DataFile } from "../lib/parquet/data-file-writer.js";
import type { SchemaState } from "../lib/schema/schema-state.js";
import type { TableRow } from "../lib/schema/table-row.js";
import { createValueDecoder } from "../lib/decode/value-decoder.js";
import type { StagedFile, StateStore, TopicExport } from "../lib/state/state-store.js";
import type { ObjectStore } from "../lib/storage/object-store.js";
import { generateMessages, orderEventType } from "./order-events.js";

export interface OrderStager {
  /** Stages one batch of `records` events of a Kafka partition as one data file. */
  stage(partition: number, records: number): Promise<StagedFile>;
}

export interface OrderStagerOptions {
  topicExport: TopicExport;
  schemaState: SchemaState;
  stateStore: StateStore;
  objectStore: ObjectStore;
  /** Offsets in one day partition; 1,000 by default. */
  offsetsPerDay?: number;
  /**
   * Files already written, by Kafka partition and offsets, shared by stagers of one schema and
   * `offsetsPerDay`: the rows depend on nothing else, so the tables of a benchmark staging
   * hundreds of topics share the work of writing them.
   */
  contents?: Map<string, DataFile>;
}

const firstDayMs = Date.UTC(2026, 0, 1);
const dayMs = 86_400_000;

export function createOrderStager(options: OrderStagerOptions): OrderStager {
  const { topicExport, schemaState, stateStore, objectStore, offsetsPerDay = 1_000, contents = new Map<string, DataFile>() } = options;
  const timestampMsOf = (offset: number): number => firstDayMs + Math.floor(offset / offsetsPerDay) * dayMs + (offset % offsetsPerDay) * Math.min(1_000, Math.floor(dayMs / offsetsPerDay));
  const { schema } = schemaState;
  const type = orderEventType();
  const decodeValue = createValueDecoder({ messageType: type, valStruct: valStructOf(schemaState), wireFormat: "confluent" });
  const timestampField = schema.fields.find((field) => field.name === "timestamp");
  if (timestampField === undefined) throw new Error("the export schema has no timestamp column");
  const spec = timestampPartitionSpec("day", timestampField.id);
  const partitionField = spec.fields[0]?.name ?? "";

  function rowsAt(partition: number, firstOffset: number, records: number): TableRow[] {
    return generateMessages(type, records, partition * 1_000_003 + firstOffset + 1).map((message, index) => {
      const decoded = decodeValue(message.value);
      if (!decoded.ok) throw new Error(`benchmark record did not decode: ${decoded.reason}`);
      return { key: { __raw__: message.key }, val: decoded.value, headers: message.headers, timestamp: BigInt(timestampMsOf(firstOffset + index)) * 1000n };
    });
  }

  async function stage(partition: number, records: number): Promise<StagedFile> {
    const watermark = await stateStore.stagedWatermark(topicExport.topic, partition);
    const firstOffset = watermark === undefined ? 0 : Math.ceil((Number(watermark) + 1) / records) * records;
    const lastOffset = firstOffset + records - 1;
    const contentKey = `${partition}-${firstOffset}-${records}`;
    const content = contents.get(contentKey) ?? writeDataFile(schema, rowsAt(partition, firstOffset, records));
    contents.set(contentKey, content);
    const partitionValues = { [partitionField]: applyTimeTransform("day", BigInt(timestampMsOf(firstOffset)) * 1000n) };
    const location = `${topicExport.tableLocation}/data/${partitionPath(spec, partitionValues)}/${topicExport.topic}-${partition}-${firstOffset}-${lastOffset}.parquet`;
    await objectStore.put(location, content.bytes);
    const file: StagedFile = {
      table: tableKey(topicExport),
      location,
      fileSizeBytes: content.bytes.length,
      recordCount: content.recordCount,
      partitionSpecId: spec["spec-id"],
      partitionValues,
      metrics: content.metrics,
      topic: topicExport.topic,
      partition,
      firstOffset: BigInt(firstOffset),
      lastOffset: BigInt(lastOffset),
      schemaId: schema["schema-id"],
      stagedAt: Date.now(),
    };
    const result = await stateStore.stageFiles({ topic: topicExport.topic, partition, expectedWatermark: watermark, newWatermark: BigInt(lastOffset), files: [file] });
    if (result !== "staged") throw new Error(`staging ${topicExport.topic}-${partition} lost its watermark condition: is another process staging?`);
    return file;
  }

  return { stage };
}
