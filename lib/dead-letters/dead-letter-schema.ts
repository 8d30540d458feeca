// The dead-letter table's schema (SPEC.md §9): fixed, so its field ids are those the one
// place that allocates ids gives a new table of this shape, and its schema state is saved
// once, conditionally, the first time a dead letter is staged (the commit reads the state,
// as for any table). A later release that adds a column evolves the saved state the usual way.
import type { IcebergSchema } from "../iceberg/types.js";
import { evolveSchemaStateToShape, type SchemaState } from "../schema/schema-state.js";
import type { StructShape } from "../schema/table-shape.js";
import { saveEvolvedSchemaState } from "../state/saved-schema-state.js";
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

/** The saved schema state of a dead-letter table, saved first if there is none (or an older shape). */
export function deadLetterSchemaState(stateStore: StateStore, table: string): Promise<SchemaState> {
  return saveEvolvedSchemaState(stateStore, table, (stored) => evolveSchemaStateToShape(stored, deadLetterShape));
}

/** The schema of a new dead-letter table, for readers and tests. */
export function newDeadLetterSchema(): IcebergSchema {
  return evolveSchemaStateToShape(undefined, deadLetterShape).state.schema;
}
