// What pyiceberg reads from the current snapshot's manifest list and manifests, sequence
// numbers and snapshot ids inherited: an independent check of the metadata tree we write,
// and a reference to compare our reader against on tables pyiceberg wrote.
import { runCommand } from "../../env/install.js";
import { icebergTool, pythonBin } from "../../env/python.js";

export interface PyicebergManifestEntry {
  status: "ADDED" | "EXISTING" | "DELETED";
  "snapshot-id": number | string;
  "sequence-number": number | null;
  "file-sequence-number": number | null;
  "file-path": string;
  "file-format": string;
  partition: unknown[];
  "record-count": number;
  "file-size-in-bytes": number;
  "value-counts": Record<string, number>;
  "null-value-counts": Record<string, number>;
  /** base64 */
  "lower-bounds": Record<string, string>;
  "upper-bounds": Record<string, string>;
}

export interface PyicebergManifest {
  path: string;
  length: number;
  "partition-spec-id": number;
  content: "DATA" | "DELETES";
  "sequence-number": number;
  "min-sequence-number": number;
  "added-snapshot-id": number | string;
  "added-files-count": number;
  "existing-files-count": number;
  "deleted-files-count": number;
  "added-rows-count": number;
  "existing-rows-count": number;
  "deleted-rows-count": number;
  partitions: { "contains-null": boolean; "contains-nan": boolean | null; "lower-bound": string | null; "upper-bound": string | null }[];
  entries: PyicebergManifestEntry[];
}

export interface PyicebergManifests {
  "manifest-list": string | null;
  manifests: PyicebergManifest[];
}

export async function readManifestsWithPyiceberg(metadataLocation: string, endpoint?: string): Promise<PyicebergManifests> {
  const args = [icebergTool, "manifests", "--metadata-location", metadataLocation, ...(endpoint === undefined ? [] : ["--endpoint", endpoint])];
  const output = await runCommand(pythonBin, args, { env: { PYTHONWARNINGS: "ignore" } });
  return JSON.parse(output.trim().split("\n").pop() ?? "null") as PyicebergManifests;
}
