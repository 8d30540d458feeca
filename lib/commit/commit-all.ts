// One commit round: every exported table with staged files gets its snapshot (SPEC.md §2
// step 3). Tables are committed a few at a time (their commits wait mostly on S3 and the
// catalog, not on this process); a failing table does not keep the others from committing,
// and the round fails afterwards so the failure is seen and retried. A round that runs out of
// time starts no more tables: those left go first in the next round, so none is starved.
import type { StateStore, TopicExport } from "../state/state-store.js";
import type { TableIdentifier } from "../catalog/table-identifier.js";
import { deadLetterExportOf, deadLetterTableCommitted } from "../dead-letters/dead-letter-table.js";
import { commitTopicTable, type CommitContext, type TableCommitOutcome } from "./commit-table.js";

export interface CommitRoundOutcome {
  tables: TableCommitOutcome[];
  failures: { table: string; error: unknown }[];
  /** Tables the round had no time left to start, `namespace.name`. */
  tablesLeft: string[];
}

export interface CommitRoundOptions {
  /** Tables committed at once. */
  concurrency?: number;
  /** Epoch ms after which no table is started. */
  startDeadlineMs?: number;
  /** Tables to commit first, `namespace.name`: those the previous round left. */
  first?: readonly string[];
}

export const defaultCommitConcurrency = 4;
/** Kept free at the end of an invocation: no table is started later than this before the timeout. */
export const tableStartMarginMs = 15_000;

export async function commitAllTables(context: CommitContext & { stateStore: StateStore }, options: CommitRoundOptions = {}): Promise<CommitRoundOutcome> {
  const outcome: CommitRoundOutcome = { tables: [], failures: [], tablesLeft: [] };
  const queue = tablesInOrder(withDeadLetterTables(await context.stateStore.topicExports(), context.deadLettersByDefault ?? false), options.first ?? []);
  let next = 0;
  async function worker(): Promise<void> {
    while (next < queue.length) {
      const entry = queue[next++] as QueuedTable;
      if (options.startDeadlineMs !== undefined && context.now() >= options.startDeadlineMs) {
        outcome.tablesLeft.push(entry.key);
        continue;
      }
      try {
        // A merge that would outlast the round is given up and its files appended as staged.
        const tableContext = options.startDeadlineMs === undefined ? context : { ...context, mergeDeadlineMs: options.startDeadlineMs };
        outcome.tables.push(await commitTopicTable(entry.topicExport, tableContext));
      } catch (error) {
        context.logger.error("commit failed; the next round retries it", { table: entry.key, error });
        outcome.failures.push({ table: entry.key, error });
      }
    }
  }
  const concurrency = Math.max(1, Math.min(options.concurrency ?? defaultCommitConcurrency, queue.length));
  await Promise.all(Array.from({ length: concurrency }, worker));
  return outcome;
}

interface QueuedTable {
  key: string;
  topicExport: TopicExport;
}

// Disabled topics too: what they staged before being disabled still belongs in the table.
// One entry per table, in topic order, with the tables named in `first` ahead.
function tablesInOrder(topicExports: readonly TopicExport[], first: readonly string[]): QueuedTable[] {
  const byTable = new Map<string, TopicExport>();
  for (const topicExport of topicExports) {
    const key = tableName(topicExport.table);
    if (!byTable.has(key)) byTable.set(key, topicExport);
  }
  const leading = new Set(first.filter((key) => byTable.has(key)));
  const ordered = [...leading, ...[...byTable.keys()].filter((key) => !leading.has(key))];
  return ordered.map((key) => ({ key, topicExport: byTable.get(key) as TopicExport }));
}

// A topic's dead-letter table is committed as one more table of the round (lib/dead-letters/),
// after the topic's own table.
function withDeadLetterTables(topicExports: readonly TopicExport[], byDefault: boolean): TopicExport[] {
  return topicExports.flatMap((topicExport) => (deadLetterTableCommitted(topicExport, byDefault) ? [topicExport, deadLetterExportOf(topicExport)] : [topicExport]));
}

function tableName(table: TableIdentifier): string {
  return `${table.namespace}.${table.name}`;
}
