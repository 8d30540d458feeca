// The JSON form of a value per topic-partition, as table properties and snapshot summaries
// keep it: {"<topic>": {"<partition>": "<value>"}}, topics and partitions in order. Read
// leniently: a property someone else mangled reads as what it still says, and an unreadable
// part names nothing.

/** topic → partition → value. */
export type TopicPartitionValues<T> = Map<string, Map<number, T>>;

export function formatTopicPartitionJson<T>(values: TopicPartitionValues<T>, formatValue: (value: T) => string): string {
  const json: Record<string, Record<string, string>> = {};
  for (const topic of [...values.keys()].sort()) {
    const partitions = [...(values.get(topic) ?? new Map<number, T>())].sort(([a], [b]) => a - b);
    json[topic] = Object.fromEntries(partitions.map(([partition, value]) => [String(partition), formatValue(value)]));
  }
  return JSON.stringify(json);
}

/** `parseValue` gives undefined for a value it cannot read: that partition is left out. */
export function parseTopicPartitionJson<T>(text: string, parseValue: (value: string) => T | undefined): TopicPartitionValues<T> {
  const values: TopicPartitionValues<T> = new Map();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return values;
  }
  if (typeof json !== "object" || json === null) return values;
  for (const [topic, partitions] of Object.entries(json as Record<string, unknown>)) {
    if (typeof partitions !== "object" || partitions === null) continue;
    const byPartition = new Map<number, T>();
    for (const [partition, raw] of Object.entries(partitions as Record<string, unknown>)) {
      if (!/^\d+$/.test(partition) || typeof raw !== "string") continue;
      const value = parseValue(raw);
      if (value !== undefined) byPartition.set(Number(partition), value);
    }
    values.set(topic, byPartition);
  }
  return values;
}
