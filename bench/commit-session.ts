// One exported table as a process of the benchmark sees it: the commit context wired by the
// Lambda's own runtime code (createCommitContext), a stager with clients of its own, and a
// look at the table's current state for the report.
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { S3Client } from "@aws-sdk/client-s3";
import { createDynamoDbStateStore } from "../lib/adapters/aws/dynamodb-state-store.js";
import { createS3ObjectStore } from "../lib/adapters/aws/s3-object-store.js";
import { commitTopicTable, type CommitContext, type TableCommitOutcome } from "../lib/commit/commit-table.js";
import { silentLogger } from "../lib/core/logger.js";
import { readManifestList } from "../lib/iceberg/manifest-list.js";
import { tableKey } from "../lib/ingest/table-schema-cache.js";
import { createCommitContext } from "../lib/runtime/commit-runtime.js";
import type { TopicExport } from "../lib/state/state-store.js";
import { awsTestClientConfig } from "../test/env/aws.js";
import { benchConfig, type BenchTables } from "./commit-tables.js";
import { createOrderStager, type OrderStager } from "./order-staging.js";

export interface TableState {
  snapshots: number;
  /** Manifests in the current snapshot's manifest list. */
  manifests: number;
  dataFiles: number;
  metadataBytes: number;
}

export interface CommitSession {
  topicExport: TopicExport;
  stager: OrderStager;
  commit(): Promise<TableCommitOutcome>;
  inspect(): Promise<TableState>;
}

export async function openCommitSession(tables: BenchTables, topic: string): Promise<CommitSession> {
  const clientConfig = awsTestClientConfig(tables.awsEndpoint);
  const context: CommitContext = createCommitContext(benchConfig(tables), { logger: silentLogger, awsClientConfig: clientConfig });
  const stateStore = createDynamoDbStateStore({ client: new DynamoDBClient(clientConfig), tableName: tables.stateTable });
  const objectStore = createS3ObjectStore({ client: new S3Client(clientConfig) });
  const stored = await stateStore.topicExport(topic);
  if (stored === undefined) throw new Error(`no topic export for ${topic}`);
  const topicExport = stored;
  const schemaState = await stateStore.schemaState(tableKey(topicExport));
  if (schemaState === undefined) throw new Error(`no schema state for ${tableKey(topicExport)}`);

  async function inspect(): Promise<TableState> {
    const loaded = await context.catalog.loadTable(topicExport.table);
    if (loaded === undefined) return { snapshots: 0, manifests: 0, dataFiles: 0, metadataBytes: 0 };
    const { metadata } = loaded;
    const current = metadata.snapshots.find((snapshot) => snapshot["snapshot-id"] === metadata["current-snapshot-id"]);
    const manifests = current === undefined ? [] : await readManifestList(await objectStore.get(current["manifest-list"]), current["manifest-list"]);
    return {
      snapshots: metadata.snapshots.length,
      manifests: manifests.length,
      dataFiles: Number(current?.summary["total-data-files"] ?? 0),
      metadataBytes: (await objectStore.get(loaded.metadataLocation)).length,
    };
  }

  return {
    topicExport,
    stager: createOrderStager({ topicExport, schemaState: schemaState.state, stateStore, objectStore }),
    commit: () => commitTopicTable(topicExport, context),
    inspect,
  };
}
