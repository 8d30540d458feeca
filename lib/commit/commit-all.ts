// One commit round: every exported table with staged files gets its snapshot (SPEC.md §2
// step 3). Tables are committed one after another; a failing table does not keep the
// others from committing, and the round fails afterwards so the failure is seen and retried.
import type { StateStore } from "../state/state-store.js";
import { commitTopicTable, type CommitContext, type TableCommitOutcome } from "./commit-table.js";

export interface CommitRoundOutcome {
  tables: TableCommitOutcome[];
  failures: { table: string; error: unknown }[];
}

export async function commitAllTables(context: CommitContext & { stateStore: StateStore }): Promise<CommitRoundOutcome> {
  const outcome: CommitRoundOutcome = { tables: [], failures: [] };
  const committed = new Set<string>();
  // Disabled topics too: what they staged before being disabled still belongs in the table.
  for (const topicExport of await context.stateStore.topicExports()) {
    const table = `${topicExport.table.namespace}.${topicExport.table.name}`;
    if (committed.has(table)) continue;
    committed.add(table);
    try {
      outcome.tables.push(await commitTopicTable(topicExport, context));
    } catch (error) {
      context.logger.error("commit failed; the next round retries it", { table, error });
      outcome.failures.push({ table, error });
    }
  }
  return outcome;
}
