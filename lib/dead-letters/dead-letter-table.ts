// The dead-letter table of a topic export (SPEC.md §2 step 2, §9): a sibling Iceberg table in
// the same catalog and namespace, `<table>__dead_letters`, at `<table location>__dead_letters`.
// The name is the main table's with a suffix no export table may end with (enable refuses it:
// lib/control/table-naming.ts), so a dead-letter table can never be another topic's table,
// and it sorts next to its table in Glue, Athena and the warehouse folder. Two underscores
// because one is what the default table name puts for every character a topic has that a
// table name cannot, so `orders.dead.letters` never derives it. Unpartitioned: dead letters
// are few, and they are looked up by offset and reason, not by time.
import type { TableIdentifier } from "../catalog/table-identifier.js";
import type { TopicExport } from "../state/state-store.js";

export const deadLetterTableSuffix = "__dead_letters";

export function deadLetterTableIdentifier(table: TableIdentifier): TableIdentifier {
  return { namespace: table.namespace, name: `${table.name}${deadLetterTableSuffix}` };
}

/** `namespace.name` of the topic's dead-letter table, the key of its staged files and schema state. */
export function deadLetterTableKey(topicExport: TopicExport): string {
  const { namespace, name } = deadLetterTableIdentifier(topicExport.table);
  return `${namespace}.${name}`;
}

export function deadLetterTableLocation(tableLocation: string): string {
  return `${tableLocation.replace(/\/+$/, "")}${deadLetterTableSuffix}`;
}

/**
 * The topic export as the commit sees its dead-letter table: the same topic (its snapshot
 * summaries carry the topic-partitions' committed offsets, as the main table's do), another
 * table and location, no partitioning. Committed by the same commitTopicTable as the table.
 * Its bookkeeping raises the state store's committed offset of the topic-partition too (the
 * store keeps one per topic-partition, for `status` only): until the table's own commit of
 * that batch lands, `status` may show it committed a round early. Exactly-once rests on each
 * table's own snapshot offsets, not on that.
 */
export function deadLetterExportOf(topicExport: TopicExport): TopicExport {
  return {
    ...topicExport,
    table: deadLetterTableIdentifier(topicExport.table),
    tableLocation: deadLetterTableLocation(topicExport.tableLocation),
    partitioning: "none",
  };
}

/** Whether ingest keeps the topic's invalid records: its own choice, else the deployment's default. */
export function deadLettersOn(topicExport: TopicExport, byDefault: boolean): boolean {
  return topicExport.deadLetters ?? byDefault;
}

/**
 * Whether a commit round looks at the topic's dead-letter table: whenever the topic ever chose
 * (a topic that turned them off may still have some staged) or the default keeps them. With
 * neither, the round is what it was before dead letters existed.
 */
export function deadLetterTableCommitted(topicExport: TopicExport, byDefault: boolean): boolean {
  return topicExport.deadLetters !== undefined || byDefault;
}
