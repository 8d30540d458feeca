// The scale benchmark's tables: `count` exported topics of order events in one state table
// and warehouse, each table created in Glue as `enable` creates it, and staging for all of
// them at once (the files several small ingest batches per topic would have staged).
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { GlueClient } from "@aws-sdk/client-glue";
import { S3Client } from "@aws-sdk/client-s3";
import { createGlueCatalog } from "../lib/adapters/aws/glue-catalog.js";
import { createS3ObjectStore } from "../lib/adapters/aws/s3-object-store.js";
import { loadOrCreateExportTable } from "../lib/commit/export-table.js";
import type { DataFile } from "../lib/parquet/data-file-writer.js";
import { evolveSchemaState } from "../lib/schema/schema-state.js";
import { awsTestClientConfig } from "../test/env/aws.js";
import { createDirectStagingStore } from "./direct-staging.js";
import { createBenchStore, forEachConcurrently, topicExportOf, type BenchStore } from "./commit-tables.js";
import { orderEventType } from "./order-events.js";
import { createOrderStager, type OrderStager } from "./order-staging.js";

export interface ScaleTables extends BenchStore {
  topics: string[];
}

export interface StagingShape {
  /** Kafka partitions staged per topic. */
  partitions: number;
  /** Batches staged per Kafka partition, one data file each. */
  batches: number;
  recordsPerBatch: number;
  /** Offsets per day partition (order-staging.ts). */
  offsetsPerDay?: number;
}

/** Requests in flight while setting up: setting up is not measured, only has to be quick. */
const setupConcurrency = 16;

export async function createScaleTables(awsEndpoint: string, count: number, prefix = "scale"): Promise<ScaleTables> {
  const topics = Array.from({ length: count }, (_, index) => `${prefix}-${String(index).padStart(4, "0")}`);
  const store = await createBenchStore(awsEndpoint, { bucket: `${prefix}-bench`, stateTable: `${prefix}-bench-state`, topics, concurrency: setupConcurrency });
  const clientConfig = awsTestClientConfig(awsEndpoint);
  const catalog = createGlueCatalog({ client: new GlueClient(clientConfig), objectStore: createS3ObjectStore({ client: new S3Client(clientConfig) }) });
  const { schema } = evolveSchemaState(undefined, orderEventType()).state;
  await forEachConcurrently(topics, setupConcurrency, async (topic) => {
    await loadOrCreateExportTable(topicExportOf(store, topic), schema, { catalog, now: Date.now });
  });
  return { ...store, topics };
}

export interface Stagers {
  /** Stages `shape` on every table; returns the files staged. */
  stageAll(shape: StagingShape): Promise<number>;
}

export function createStagers(tables: ScaleTables): Stagers {
  const clientConfig = awsTestClientConfig(tables.awsEndpoint);
  const stateStore = createDirectStagingStore(new DynamoDBClient(clientConfig), tables.stateTable);
  const objectStore = createS3ObjectStore({ client: new S3Client(clientConfig) });
  const { state: schemaState } = evolveSchemaState(undefined, orderEventType());
  const stagers = new Map<string, OrderStager>();
  const contents = new Map<number | undefined, Map<string, DataFile>>();

  function stagerOf(topic: string, offsetsPerDay: number | undefined): OrderStager {
    const key = `${topic}\u0000${offsetsPerDay ?? ""}`;
    let stager = stagers.get(key);
    if (stager === undefined) {
      if (!contents.has(offsetsPerDay)) contents.set(offsetsPerDay, new Map());
      const shared = { contents: contents.get(offsetsPerDay) as Map<string, DataFile>, ...(offsetsPerDay === undefined ? {} : { offsetsPerDay }) };
      stager = createOrderStager({ topicExport: topicExportOf(tables, topic), schemaState, stateStore, objectStore, ...shared });
      stagers.set(key, stager);
    }
    return stager;
  }

  return {
    async stageAll(shape) {
      let files = 0;
      // One topic-partition's batches in order (each reads the watermark the previous moved).
      const work = tables.topics.flatMap((topic) => Array.from({ length: shape.partitions }, (_, partition) => ({ topic, partition })));
      await forEachConcurrently(work, setupConcurrency, async ({ topic, partition }) => {
        const stager = stagerOf(topic, shape.offsetsPerDay);
        for (let batch = 0; batch < shape.batches; batch++) {
          await stager.stage(partition, shape.recordsPerBatch);
          files++;
        }
      });
      return files;
    },
  };
}
