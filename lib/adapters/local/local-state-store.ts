// The StateStore in a local folder (SPEC.md §6, embedded default), with the conditions of
// the DynamoDB store (lib/adapters/aws/dynamodb-state-store.ts): staging is conditioned on
// the watermark, a schema save on the version, the commit lease on its holder and expiry,
// and the bookkeeping is idempotent. The whole state is one document changed by
// compare-and-swap (snapshot-folder.ts), so every change is atomic and safe across
// processes: the CLI's `enable` beside a running `run`, or two runners.
import { randomUUID } from "node:crypto";
import { ConditionFailedError, StateStoreMissingError } from "../../core/errors.js";
import type { SchemaState } from "../../schema/schema-state.js";
import { checkStageRequest } from "../../state/stage-request.js";
import type { CommitLeaseRequest, StagedFile, StageRequest, StateStore, StoreMarker, TopicExport, VersionedSchemaState } from "../../state/state-store.js";
import { createSnapshotFolder, type SnapshotFolderOptions } from "./snapshot-folder.js";
import { decodeStateDocument, emptyStateDocument, encodeStateDocument, type PartitionProgress, type StateDocument, type TableState } from "./state-document.js";

export interface LocalStateStoreOptions {
  /** The folder that holds the state snapshots; created on the first write. */
  directory: string;
  /** Tuning of the snapshot folder, for tests. */
  snapshots?: Pick<SnapshotFolderOptions<StateDocument>, "keep" | "pruneAfterMs" | "maxAttemptMs" | "maxAttempts">;
}

export function createLocalStateStore(options: LocalStateStoreOptions): StateStore {
  const directory = options.directory.replace(/\/+$/, "");
  const folder = createSnapshotFolder<StateDocument>({
    directory,
    empty: emptyStateDocument,
    encode: encodeStateDocument,
    decode: decodeStateDocument,
    ...options.snapshots,
  });

  async function storeMarker(): Promise<StoreMarker | undefined> {
    return (await folder.read()).store;
  }

  async function ensureStoreMarker(): Promise<StoreMarker> {
    const candidate = newStoreMarker();
    return folder.change((document) => (document.store === undefined ? { next: { ...document, store: candidate }, result: candidate } : { result: document.store }));
  }

  async function topicExport(topic: string): Promise<TopicExport | undefined> {
    return (await folder.read()).topicExports.find((candidate) => candidate.topic === topic);
  }

  async function topicExports(): Promise<TopicExport[]> {
    return (await folder.read()).topicExports.sort((a, b) => compareStrings(a.topic, b.topic));
  }

  async function putTopicExport(topicExport: TopicExport): Promise<void> {
    await folder.change((document) => {
      const others = document.topicExports.filter((candidate) => candidate.topic !== topicExport.topic);
      return { next: { ...document, store: document.store ?? newStoreMarker(), topicExports: [...others, topicExport] }, result: undefined };
    });
  }

  async function schemaState(table: string): Promise<VersionedSchemaState | undefined> {
    return tableIn(await folder.read(), table)?.schema;
  }

  async function saveSchemaState(table: string, state: SchemaState, expectedVersion: number | undefined): Promise<number> {
    const saved = await folder.change((document) => {
      const stored = tableIn(document, table)?.schema;
      if (stored?.version !== expectedVersion) return { result: undefined };
      const version = (expectedVersion ?? 0) + 1;
      tableFor(document, table).schema = { state, version };
      return { next: document, result: version };
    });
    if (saved === undefined) {
      const expected = expectedVersion === undefined ? "none saved yet" : `version ${expectedVersion}`;
      throw new ConditionFailedError(`schema state of ${table} changed since it was read (expected ${expected})`);
    }
    return saved;
  }

  async function stagedWatermark(topic: string, partition: number): Promise<bigint | undefined> {
    return progressIn(await folder.read(), topic, partition)?.stagedWatermark;
  }

  async function stageFiles(request: StageRequest): Promise<"staged" | "condition-failed"> {
    checkStageRequest(request);
    return folder.change((document) => {
      // The folder vanished (or was emptied) after ingest read the topic's export: staging
      // into a state written anew would acknowledge records the lost state can never commit.
      if (document.store === undefined) throw new StateStoreMissingError(`the local state store ${directory} has no store marker: it was deleted or emptied; nothing staged for ${request.topic}-${request.partition}`);
      if (progressIn(document, request.topic, request.partition)?.stagedWatermark !== request.expectedWatermark) return { result: "condition-failed" as const };
      // As in DynamoDB, a file staged already (and not yet committed) is not staged again.
      const alreadyStaged = request.files.some((file) => tableIn(document, file.table)?.staged.some((staged) => sameStagedFile(staged, file)) === true);
      if (alreadyStaged) return { result: "condition-failed" as const };
      progressFor(document, request.topic, request.partition).stagedWatermark = request.newWatermark;
      for (const file of request.files) tableFor(document, file.table).staged.push(file);
      return { next: document, result: "staged" as const };
    });
  }

  async function stagedFiles(table: string): Promise<StagedFile[]> {
    return [...(tableIn(await folder.read(), table)?.staged ?? [])].sort(oldestFirst);
  }

  async function acquireCommitLease(table: string, request: CommitLeaseRequest): Promise<boolean> {
    return folder.change((document) => {
      const lease = tableIn(document, table)?.lease;
      if (lease !== undefined && lease.expiresAt >= request.nowMs && lease.owner !== request.owner) return { result: false };
      tableFor(document, table).lease = { owner: request.owner, expiresAt: request.nowMs + request.durationMs };
      return { next: document, result: true };
    });
  }

  async function releaseCommitLease(table: string, owner: string): Promise<void> {
    await folder.change((document) => {
      const state = tableIn(document, table);
      // Expired and taken by another committer meanwhile: theirs now, not ours to release.
      if (state?.lease?.owner !== owner) return { result: undefined };
      delete state.lease;
      return { next: document, result: undefined };
    });
  }

  // Files are found by their own table, as the DynamoDB store keys them.
  async function markCommitted(_table: string, files: readonly StagedFile[]): Promise<void> {
    await folder.change((document) => {
      let changed = false;
      for (const state of document.tables) {
        const remaining = state.staged.filter((staged) => !files.some((file) => sameStagedFile(staged, file)));
        changed ||= remaining.length !== state.staged.length;
        state.staged = remaining;
      }
      for (const file of files) {
        const progress = progressFor(document, file.topic, file.partition);
        if (progress.committedOffset === undefined || progress.committedOffset < file.lastOffset) {
          progress.committedOffset = file.lastOffset;
          changed = true;
        }
      }
      return changed ? { next: document, result: undefined } : { result: undefined };
    });
  }

  async function committedOffset(topic: string, partition: number): Promise<bigint | undefined> {
    return progressIn(await folder.read(), topic, partition)?.committedOffset;
  }

  return {
    storeMarker,
    ensureStoreMarker,
    topicExport,
    topicExports,
    putTopicExport,
    schemaState,
    saveSchemaState,
    stagedWatermark,
    stageFiles,
    stagedFiles,
    acquireCommitLease,
    releaseCommitLease,
    markCommitted,
    committedOffset,
  };
}

function newStoreMarker(): StoreMarker {
  return { id: randomUUID(), createdAt: new Date().toISOString() };
}

function tableIn(document: StateDocument, table: string): TableState | undefined {
  return document.tables.find((candidate) => candidate.table === table);
}

function tableFor(document: StateDocument, table: string): TableState {
  const found = tableIn(document, table);
  if (found !== undefined) return found;
  const created: TableState = { table, staged: [] };
  document.tables.push(created);
  return created;
}

function progressIn(document: StateDocument, topic: string, partition: number): PartitionProgress | undefined {
  return document.partitions.find((candidate) => candidate.topic === topic && candidate.partition === partition);
}

function progressFor(document: StateDocument, topic: string, partition: number): PartitionProgress {
  const found = progressIn(document, topic, partition);
  if (found !== undefined) return found;
  const created: PartitionProgress = { topic, partition };
  document.partitions.push(created);
  return created;
}

/** The DynamoDB store's item key: the same file of the same batch. */
function sameStagedFile(a: StagedFile, b: StagedFile): boolean {
  return a.table === b.table && a.topic === b.topic && a.partition === b.partition && a.firstOffset === b.firstOffset && a.location === b.location;
}

/** Oldest first; ties in topic, partition, first offset and location order, as in DynamoDB. */
function oldestFirst(a: StagedFile, b: StagedFile): number {
  if (a.stagedAt !== b.stagedAt) return a.stagedAt - b.stagedAt;
  if (a.topic !== b.topic) return compareStrings(a.topic, b.topic);
  if (a.partition !== b.partition) return a.partition - b.partition;
  if (a.firstOffset !== b.firstOffset) return a.firstOffset < b.firstOffset ? -1 : 1;
  return compareStrings(a.location, b.location);
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
