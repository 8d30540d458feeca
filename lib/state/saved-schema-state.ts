// A table's schema state brought to what it must become and saved, conditionally on the
// version read: a writer that saved meanwhile (another ingest, enable) makes this read and
// evolve again from what it saved, so field ids stay the same across writers (SPEC.md §3).
import { ConditionFailedError } from "../core/errors.js";
import type { SchemaState } from "../schema/schema-state.js";
import type { StateStore } from "./state-store.js";

export interface SchemaStateEvolution {
  state: SchemaState;
  changed: boolean;
}

const maxSaveAttempts = 5;

/** The state `evolve` makes of the stored one, saved when it changed. */
export async function saveEvolvedSchemaState(stateStore: StateStore, table: string, evolve: (stored: SchemaState | undefined) => SchemaStateEvolution): Promise<SchemaState> {
  for (let attempt = 1; ; attempt++) {
    const stored = await stateStore.schemaState(table);
    const evolution = evolve(stored?.state);
    if (!evolution.changed) return evolution.state;
    try {
      await stateStore.saveSchemaState(table, evolution.state, stored?.version);
      return evolution.state;
    } catch (error) {
      if (!(error instanceof ConditionFailedError) || attempt >= maxSaveAttempts) throw error;
    }
  }
}
