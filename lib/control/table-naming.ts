// Which table a topic is exported to, unless the operator names one: the topic's name made
// a valid Glue/Athena identifier. Glue takes 1–255 characters and wants them lower case
// for Hive compatibility; Athena (and S3 Tables) support only lower case letters, digits
// and underscores, so that is what a table or namespace name may hold here.
import { createHash } from "node:crypto";
import { ConfigurationError } from "../core/errors.js";
import type { TableIdentifier } from "../catalog/table-identifier.js";
import { deadLetterTableSuffix } from "../dead-letters/dead-letter-table.js";

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

/**
 * A topic's table, or (`deadLetterTable`) the name of its dead-letter table checked the same
 * way. A topic's own table never ends with the dead-letter suffix: that name belongs to the
 * dead-letter table of the table without it, so no topic can export into one.
 */
export function tableIdentifierFor(topic: string, namespace: string, tableName: string | undefined, options: { deadLetterTable?: boolean } = {}): TableIdentifier {
  const name = tableName ?? defaultTableName(topic);
  if (!validTableName.test(name)) {
    const given = name.length > 60 ? `'${name.slice(0, 60)}…' (${name.length} characters)` : `'${name}'`;
    const what = options.deadLetterTable === true ? `the dead-letter table's name ${given} (the table's name and ${deadLetterTableSuffix})` : given;
    throw new ConfigurationError("--table", `${what} is not a valid table name: use ${nameRule}, e.g. --table ${distinctTableName(topic)}`);
  }
  if (options.deadLetterTable !== true && name.endsWith(deadLetterTableSuffix)) {
    throw new ConfigurationError("--table", `'${name}' ends with ${deadLetterTableSuffix}, which names the dead-letter table of '${name.slice(0, -deadLetterTableSuffix.length)}', never a topic's table: choose another, e.g. --table ${distinctTableName(topic)}`);
  }
  if (!validTableName.test(namespace)) throw new ConfigurationError("--namespace", `'${namespace}' is not a valid database name: use ${nameRule}`);
  return { namespace, name };
}
