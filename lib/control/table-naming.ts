// Which table a topic is exported to, unless the operator names one: the topic's name made
// a valid Glue/Athena identifier (lower case letters, digits and underscores).
import { ConfigurationError } from "../core/errors.js";
import type { TableIdentifier } from "../state/state-store.js";

const validTableName = /^[a-z_][a-z0-9_]{0,254}$/;

export function defaultTableName(topic: string): string {
  const name = topic.toLowerCase().replace(/[^a-z0-9_]/g, "_");
  return /^[0-9]/.test(name) ? `t_${name}` : name;
}

export function tableIdentifierFor(topic: string, namespace: string, tableName: string | undefined): TableIdentifier {
  const name = tableName ?? defaultTableName(topic);
  if (!validTableName.test(name)) throw new ConfigurationError("--table", `'${name}' is not a valid table name: use lower case letters, digits and underscores`);
  if (!validTableName.test(namespace)) throw new ConfigurationError("--namespace", `'${namespace}' is not a valid database name: use lower case letters, digits and underscores`);
  return { namespace, name };
}
