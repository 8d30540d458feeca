// The local state store's whole state as one JSON document (one snapshot of the snapshot
// folder). Lists rather than maps keyed by topic or table name, so that no name (Kafka
// allows `__proto__`) can reach an object's prototype. bigint offsets and binary bounds are
// tagged so that they read back exactly: {"$bigint": "<digits>"}, {"$base64": "..."}.
import { ExportError } from "../../core/errors.js";
import type { CommitLeaseRequest, StagedFile, StoreMarker, TopicExport, VersionedSchemaState } from "../../state/state-store.js";

export interface PartitionProgress {
  topic: string;
  partition: number;
  stagedWatermark?: bigint;
  committedOffset?: bigint;
}

export interface CommitLease {
  owner: CommitLeaseRequest["owner"];
  expiresAt: number;
}

export interface TableState {
  table: string;
  schema?: VersionedSchemaState;
  lease?: CommitLease;
  /** Not yet committed, in the order of stagedFiles(). */
  staged: StagedFile[];
}

export interface StateDocument {
  formatVersion: 1;
  /** Absent in a folder that was never enabled into, or that vanished and was written again. */
  store?: StoreMarker;
  topicExports: TopicExport[];
  partitions: PartitionProgress[];
  tables: TableState[];
}

export function emptyStateDocument(): StateDocument {
  return { formatVersion: 1, topicExports: [], partitions: [], tables: [] };
}

export function encodeStateDocument(document: StateDocument): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(document, tagValue));
}

export function decodeStateDocument(bytes: Uint8Array, location: string): StateDocument {
  let document: unknown;
  try {
    document = JSON.parse(new TextDecoder().decode(bytes), untagValue);
  } catch (error) {
    throw new ExportError("INTERNAL", `state snapshot ${location} is not JSON`, { cause: error });
  }
  const candidate = document as Partial<StateDocument> | null;
  if (
    typeof candidate !== "object" ||
    candidate === null ||
    candidate.formatVersion !== 1 ||
    !Array.isArray(candidate.topicExports) ||
    !Array.isArray(candidate.partitions) ||
    !Array.isArray(candidate.tables) ||
    (candidate.store !== undefined && (typeof candidate.store.id !== "string" || typeof candidate.store.createdAt !== "string"))
  ) {
    throw new ExportError("INTERNAL", `state snapshot ${location} is not a local state document of format version 1`);
  }
  return candidate as StateDocument;
}

// `this` is the holder, so that a Buffer is seen before its toJSON() has turned it into
// {type: "Buffer", data: [...]}.
function tagValue(this: unknown, key: string, value: unknown): unknown {
  const original = (this as Record<string, unknown>)[key];
  if (typeof original === "bigint") return { $bigint: original.toString() };
  if (original instanceof Uint8Array) return { $base64: Buffer.from(original.buffer, original.byteOffset, original.byteLength).toString("base64") };
  return value;
}

function untagValue(_key: string, value: unknown): unknown {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return value;
  const entries = Object.entries(value);
  if (entries.length !== 1) return value;
  const [tag, content] = entries[0] ?? [];
  if (tag === "$bigint" && typeof content === "string" && /^-?\d+$/.test(content)) return BigInt(content);
  if (tag === "$base64" && typeof content === "string") return new Uint8Array(Buffer.from(content, "base64"));
  return value;
}
