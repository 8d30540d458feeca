// A document kept in a folder as numbered snapshots, `state-<N>.json`, changed by
// compare-and-swap across processes: a writer reads the newest snapshot N, computes the
// change, and creates N+1 create-only (lib/adapters/local/local-files.ts). Of writers that
// read the same N exactly one creates N+1; the others read again and re-decide, so a
// condition checked on the snapshot holds when the change lands, as with a conditional
// write in DynamoDB. No lock is held, so a crashed writer blocks nobody and leaves at most
// a temporary file.
//
// Old snapshots are deleted once they are both `keep` versions behind and `pruneAfterMs`
// old. A number must never be created twice, and it could be if a writer read N, stalled
// while N+1 was created and deleted again, and then created N+1 itself: so a write whose
// read is older than `maxAttemptMs` (far below `pruneAfterMs`) is abandoned and retried
// instead of published.
import { readdir, readFile, stat, unlink } from "node:fs/promises";
import { ConditionFailedError, ExportError, StateStoreMissingError, UnavailableError } from "../../core/errors.js";
import { fileFailure, isMissing, writeFileDurably } from "./local-files.js";

export interface SnapshotFolderOptions<T> {
  directory: string;
  /** The document before the first snapshot. */
  empty: () => T;
  encode: (document: T) => Uint8Array;
  decode: (bytes: Uint8Array, location: string) => T;
  keep?: number;
  pruneAfterMs?: number;
  maxAttemptMs?: number;
  /** Attempts of one change before it fails as retryable STORAGE_UNAVAILABLE. */
  maxAttempts?: number;
}

/** What a change decides: the next document, or none to leave the folder as it is. */
export interface Change<T, R> {
  next?: T;
  result: R;
}

export interface SnapshotFolder<T> {
  read(): Promise<T>;
  change<R>(decide: (current: T) => Change<T, R>): Promise<R>;
}

const snapshotName = /^state-(\d{20})\.json$/;

export function createSnapshotFolder<T>(options: SnapshotFolderOptions<T>): SnapshotFolder<T> {
  const { directory, empty, encode, decode, keep = 10, pruneAfterMs = 60_000, maxAttemptMs = 10_000, maxAttempts = 200 } = options;

  function snapshotPath(version: number): string {
    return `${directory}/state-${String(version).padStart(20, "0")}.json`;
  }

  /** The snapshot numbers present, ascending. */
  async function versions(): Promise<number[]> {
    let names: string[];
    try {
      names = await readdir(directory);
    } catch (error) {
      if (isMissing(error)) return [];
      throw fileFailure(`listing the state folder ${directory}`, error);
    }
    return names
      .map((name) => snapshotName.exec(name)?.[1])
      .filter((digits) => digits !== undefined)
      .map(Number)
      .sort((a, b) => a - b);
  }

  async function readNewest(): Promise<{ version: number; document: T }> {
    // The newest snapshot is never deleted, but a reader that stalled after listing may find
    // that a newer one replaced it and it has been pruned: it lists again.
    for (let attempt = 0; attempt < maxAttempts; attempt += 1) {
      const version = (await versions()).at(-1);
      if (version === undefined) return { version: 0, document: empty() };
      const path = snapshotPath(version);
      try {
        return { version, document: decode(await readFile(path), path) };
      } catch (error) {
        if (!isMissing(error)) throw error instanceof ExportError ? error : fileFailure(`reading ${path}`, error);
      }
    }
    throw new UnavailableError("STORAGE_UNAVAILABLE", `could not read the newest state snapshot in ${directory}: it kept being replaced`);
  }

  async function change<R>(decide: (current: T) => Change<T, R>): Promise<R> {
    for (let attempt = 0; attempt < maxAttempts; attempt += 1) {
      const readAt = Date.now();
      const { version, document } = await readNewest();
      const { next, result } = decide(document);
      if (next === undefined) return result;
      try {
        // A folder that held snapshot `version` and is gone now was deleted: writing the
        // change into a new one would bring the deleted state back under a later number.
        await writeFileDurably(snapshotPath(version + 1), encode(next), { exclusive: true, beforePublish: () => checkNotStale(readAt), createDirectory: version === 0 });
      } catch (error) {
        if (version > 0 && isMissing((error as { cause?: unknown }).cause)) {
          throw new StateStoreMissingError(`the state folder ${directory} vanished while export ran (it held snapshot ${version}); restore it, or run 'enable' again to resume (docs/deploy.md)`, error);
        }
        if (error instanceof ConditionFailedError || error instanceof StaleAttemptError) {
          // Another writer was first: decide again on its snapshot; spread out after a few.
          if (attempt >= 3) await sleep(Math.random() * Math.min(50, attempt * 2));
          continue;
        }
        throw error;
      }
      await prune(version + 1);
      return result;
    }
    throw new UnavailableError("STORAGE_UNAVAILABLE", `could not change the state in ${directory}: ${maxAttempts} attempts met other writers`);
  }

  function checkNotStale(readAt: number): void {
    if (Date.now() - readAt > maxAttemptMs) throw new StaleAttemptError();
  }

  // Oldest first, so that the snapshots left are always the newest ones. Best effort: a
  // snapshot left behind is deleted by a later write.
  async function prune(written: number): Promise<void> {
    try {
      for (const version of await versions()) {
        if (version > written - keep) return;
        const path = snapshotPath(version);
        const modifiedMs = await stat(path).then(
          (stats) => stats.mtimeMs,
          () => undefined,
        );
        if (modifiedMs === undefined) continue;
        if (Date.now() - modifiedMs < pruneAfterMs) return;
        await unlink(path).catch(() => undefined);
      }
    } catch {
      return;
    }
  }

  return { read: async () => (await readNewest()).document, change };
}

/** Thrown before publishing a write whose read is too old; the attempt is retried. */
class StaleAttemptError extends ExportError {
  constructor() {
    super("INTERNAL", "the state was read too long ago to be published safely", { retryable: true });
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
