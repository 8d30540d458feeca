// A table's schema state as a state table item: the document as JSON text (it holds only
// JSON values) and the version that guards the next save.
import { ExportError } from "../../core/errors.js";
import type { SchemaState } from "../../schema/schema-state.js";
import type { VersionedSchemaState } from "../../state/state-store.js";
import { attributeReader, integerValue, type Attributes } from "./dynamodb-attributes.js";
import { describeItem, schemaStateKey } from "./dynamodb-state-keys.js";

export function schemaStateItem(table: string, state: SchemaState, version: number): Attributes {
  return { ...schemaStateKey(table), state: { S: JSON.stringify(state) }, version: integerValue(version) };
}

export function schemaStateFromItem(item: Attributes): VersionedSchemaState {
  const where = describeItem(item);
  const read = attributeReader(item, where);
  return { state: parseSchemaState(read.string("state"), where), version: read.integer("version") };
}

function parseSchemaState(text: string, where: string): SchemaState {
  let state: unknown;
  try {
    state = JSON.parse(text);
  } catch (error) {
    throw new ExportError("INTERNAL", `state item ${where}: attribute state is not JSON`, { cause: error });
  }
  if (typeof state !== "object" || state === null || (state as Partial<SchemaState>).formatVersion !== 1) {
    throw new ExportError("INTERNAL", `state item ${where}: attribute state is not a schema state of format version 1`);
  }
  return state as SchemaState;
}
