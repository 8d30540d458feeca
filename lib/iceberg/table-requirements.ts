// What a commit assumes of the table it read (the requirements of the Iceberg REST
// commit protocol, by the same names). A commit re-checks them against the metadata it
// is about to replace; one that no longer holds means someone else committed meanwhile.
import { CommitConflictError } from "../core/errors.js";
import type { TableMetadata } from "./table-metadata.js";

export type TableRequirement =
  | { type: "assert-table-uuid"; uuid: string }
  /** The ref points at this snapshot; null: the ref does not exist. */
  | { type: "assert-ref-snapshot-id"; ref: string; "snapshot-id": bigint | null }
  | { type: "assert-current-schema-id"; "current-schema-id": number }
  | { type: "assert-last-assigned-field-id"; "last-assigned-field-id": number };

/** Throws CommitConflictError, naming the requirement, when `base` does not meet one. */
export function checkTableRequirements(base: TableMetadata, requirements: readonly TableRequirement[]): void {
  for (const requirement of requirements) {
    const problem = unmetBecause(base, requirement);
    if (problem !== undefined) throw new CommitConflictError(`requirement ${requirement.type} failed: ${problem}`);
  }
}

function unmetBecause(base: TableMetadata, requirement: TableRequirement): string | undefined {
  switch (requirement.type) {
    case "assert-table-uuid":
      return base["table-uuid"] === requirement.uuid ? undefined : `table uuid is ${base["table-uuid"]}, expected ${requirement.uuid}`;
    case "assert-ref-snapshot-id": {
      const actual = refSnapshotId(base, requirement.ref) ?? null;
      if (actual === requirement["snapshot-id"]) return undefined;
      return `ref ${requirement.ref} is at ${actual ?? "no snapshot"}, expected ${requirement["snapshot-id"] ?? "no snapshot"}`;
    }
    case "assert-current-schema-id":
      return base["current-schema-id"] === requirement["current-schema-id"] ? undefined : `current schema is ${base["current-schema-id"]}, expected ${requirement["current-schema-id"]}`;
    case "assert-last-assigned-field-id":
      return base["last-column-id"] === requirement["last-assigned-field-id"] ? undefined : `last column id is ${base["last-column-id"]}, expected ${requirement["last-assigned-field-id"]}`;
  }
}

/** The snapshot a ref points at; `main` is the current snapshot in metadata written without refs. */
export function refSnapshotId(metadata: TableMetadata, ref: string): bigint | undefined {
  return metadata.refs[ref]?.["snapshot-id"] ?? (ref === "main" ? metadata["current-snapshot-id"] : undefined);
}
