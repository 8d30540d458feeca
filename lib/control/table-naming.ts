// Which table a topic is exported to, unless the operator names one: the topic's name made
// a valid Glue/Athena identifier. Glue takes 1–255 characters and wants them lower case
// for Hive compatibility; Athena (and S3 Tables) support only lower case letters, digits
// and underscores, so that is what a table or namespace name may hold here.
import { createHash } from "node:crypto";
import { ConfigurationError } from "../core/errors.js";
import type { TableIdentifier } from "../catalog/table-identifier.js";

export const maxTableNameLength = 255;

const validTableName = /^[a-z_][a-z0-9_]{0,254}$/;

const nameRule = `lower case letters, digits and underscores, not starting with a digit, at most ${maxTableNameLength} characters`;

export function defaultTableName(topic: string): string {
  const name = topic.toLowerCase().replace(/[^a-z0-9_]/g, "_");
  return /^[0-9]/.test(name) ? `t_${name}` : name;
}

/**
 * A short valid name of the topic's own, for a suggestion: the default name cut to 40
 * characters and a hash of the exact topic name, so that topics the default name folds
 * together (`Dot.Name`, `dot-name`) get different ones, the same each time.
 */
export function distinctTableName(topic: string): string {
  const hash = createHash("sha256").update(topic, "utf8").digest("hex").slice(0, 8);
  return `${defaultTableName(topic).slice(0, 40).replace(/_+$/, "")}_${hash}`;
}

export function tableIdentifierFor(topic: string, namespace: string, tableName: string | undefined): TableIdentifier {
  const name = tableName ?? defaultTableName(topic);
  if (!validTableName.test(name)) {
    const given = name.length > 60 ? `'${name.slice(0, 60)}…' (${name.length} characters)` : `'${name}'`;
    throw new ConfigurationError("--table", `${given} is not a valid table name: use ${nameRule}, e.g. --table ${distinctTableName(topic)}`);
  }
  if (!validTableName.test(namespace)) throw new ConfigurationError("--namespace", `'${namespace}' is not a valid database name: use ${nameRule}`);
  return { namespace, name };
}
