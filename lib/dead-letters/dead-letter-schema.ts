// The dead-letter table's schema (SPEC.md §9): fixed, so its field ids are those the one
// place that allocates ids gives a new table of this shape, and its schema state is saved
// once, conditionally, the first time a dead letter is staged (the commit reads the state,
// as for any table). A later release that adds a column evolves the saved state the usual way.
import { ConditionFailedError } from "../core/errors.js";
import type { IcebergSchema } from "../iceberg/types.js";
import { evolveSchemaStateToShape, type SchemaState } from "../schema/schema-state.js";
import type { StructShape } from "../schema/table-shape.js";
import type { StateStore } from "../state/state-store.js";

const deadLetterShape: StructShape = {
  kind: "struct",
  fields: [
    { name: "topic", shape: "string" },
    { name: "partition", shape: "int" },
    { name: "offset", shape: "long" },
    { name: "timestamp", shape: "timestamptz" },
    { name: "key", shape: "binary" },
    { name: "value", shape: "binary" },
    { name: "headers", shape: { kind: "list", element: { kind: "struct", fields: [{ name: "key", shape: "string" }, { name: "value", shape: "binary" }] } } },
    { name: "reason", shape: "string" },
    { name: "detail", shape: "string" },
    { name: "schema_id", shape: "int" },
    { name: "rejected_at", shape: "timestamptz" },
  ],
};

const maxSaveAttempts = 5;

/** The saved schema state of a dead-letter table, saved first if there is none (or an older shape). */
export async function deadLetterSchemaState(stateStore: StateStore, table: string): Promise<SchemaState> {
  for (let attempt = 1; ; attempt++) {
    const stored = await stateStore.schemaState(table);
    const evolution = evolveSchemaStateToShape(stored?.state, deadLetterShape);
    if (!evolution.changed) return evolution.state;
    try {
      await stateStore.saveSchemaState(table, evolution.state, stored?.version);
      return evolution.state;
    } catch (error) {
      if (!(error instanceof ConditionFailedError) || attempt >= maxSaveAttempts) throw error;
    }
  }
}

/** The schema of a new dead-letter table, for readers and tests. */
export function newDeadLetterSchema(): IcebergSchema {
  return evolveSchemaStateToShape(undefined, deadLetterShape).state.schema;
}
