// Wires the commit path from the configuration: Glue catalog, S3 and DynamoDB in Lambda;
// the file catalog, a folder and local state on the embedded default.
import { randomUUID } from "node:crypto";
import type { CommitContext } from "../commit/commit-table.js";
import type { ExportConfig } from "../config/export-config.js";
import { backoffDelay } from "../core/retry.js";
import { createExportAdapters, type ExportAdapters, type RuntimeOptions } from "./export-adapters.js";

export function createCommitContext(config: ExportConfig, options: RuntimeOptions): CommitContext {
  return commitContextOver(createExportAdapters(config, options), config, options);
}

/** The commit context over adapters already built, for a process that also ingests (the CLI's runner). */
export function commitContextOver(adapters: ExportAdapters, config: ExportConfig, options: RuntimeOptions): CommitContext {
  const { stateStore, catalog, objectStore } = adapters;
  return {
    stateStore,
    catalog,
    objectStore,
    logger: options.logger,
    now: options.now ?? Date.now,
    leaseOwner: randomUUID(),
    targetFileSizeBytes: config.targetFileSizeBytes,
    deadLettersByDefault: config.deadLetters,
    backoff: (attempt) => new Promise((resolve) => setTimeout(resolve, backoffDelay(attempt, { baseDelayMs: 200, maxDelayMs: 5_000, random: Math.random }))),
  };
}
