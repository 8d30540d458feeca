// Tells "this topic is not exported" from "the state store is gone" (SPEC.md §2.6). A topic
// with no export record is only trusted as not exported while the store still carries the
// marker that `enable` wrote; a deleted folder, an emptied table or a table created anew has
// none, and ingest then fails retryably so that nothing is acknowledged as skipped. A topic
// this process saw with an export record and now finds without one means the same: disable
// keeps the record, nothing deletes it. Only batches of topics without a record pay for the
// marker read; the hot path (an exported topic) costs nothing extra.
import { StateStoreMissingError } from "../core/errors.js";
import type { Logger } from "../core/logger.js";
import type { StateStore, TopicExport } from "../state/state-store.js";

export interface StateStoreGuard {
  /** Passes `found` through, or throws StateStoreMissingError when the store is not there to say so. */
  checked(topic: string, found: TopicExport | undefined): Promise<TopicExport | undefined>;
}

/** One guard per store object: per Lambda container, per runner process. */
const guards = new WeakMap<StateStore, StateStoreGuard>();

export function stateStoreGuardFor(stateStore: StateStore, logger: Logger): StateStoreGuard {
  let guard = guards.get(stateStore);
  if (guard === undefined) {
    guard = createStateStoreGuard(stateStore, logger);
    guards.set(stateStore, guard);
  }
  return guard;
}

export function createStateStoreGuard(stateStore: StateStore, logger: Logger): StateStoreGuard {
  const exportedTopics = new Set<string>();
  let markerId: string | undefined;

  async function checked(topic: string, found: TopicExport | undefined): Promise<TopicExport | undefined> {
    if (found !== undefined) {
      exportedTopics.add(topic);
      return found;
    }
    if (exportedTopics.has(topic)) {
      throw new StateStoreMissingError(
        `the export record of topic ${topic} vanished from the state store while export ran: the store was emptied or replaced. Restore it (DynamoDB point-in-time recovery), or run 'enable --topic ${topic}' to resume from the table's committed offsets (docs/deploy.md)`,
      );
    }
    const marker = await stateStore.storeMarker();
    if (marker === undefined) {
      throw new StateStoreMissingError(
        `the state store is missing or empty (no store marker) while a batch of topic ${topic} arrived: it was deleted, emptied or replaced, or no topic was ever enabled into it. Nothing is skipped; restore it, or run 'enable --topic ${topic}' (docs/deploy.md)`,
      );
    }
    if (markerId !== undefined && markerId !== marker.id) {
      logger.warn("the state store was replaced while export ran (its store marker changed); topics without an export record in it are not exported", { topic, before: markerId, now: marker.id });
    }
    markerId = marker.id;
    return undefined;
  }

  return { checked };
}
