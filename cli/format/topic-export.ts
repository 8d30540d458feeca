// A topic export as lines of text for the terminal.
import type { TopicExport } from "../../lib/state/state-store.js";
import { deadLetterTableKey } from "../../lib/dead-letters/dead-letter-table.js";

export function formatTopicExport(topicExport: TopicExport, metadataLocation: string | undefined): string[] {
  const offsets = Object.entries(topicExport.startOffsets)
    .map(([partition, offset]) => `${partition}:${offset.toString()}`)
    .join(" ");
  return [
    `table      ${topicExport.table.namespace}.${topicExport.table.name}, partitioned by ${topicExport.partitioning === "none" ? "nothing" : `${topicExport.partitioning}(timestamp)`}`,
    `location   ${topicExport.tableLocation}`,
    ...(metadataLocation === undefined ? [] : [`metadata   ${metadataLocation}`]),
    `starts at  ${offsets === "" ? "(no partitions)" : offsets}  (partition:offset; earlier records are not exported)`,
    ...(topicExport.deadLetters === true ? [`dead letters  kept in ${deadLetterTableKey(topicExport)}`] : []),
  ];
}
