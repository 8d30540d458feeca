// A key equal for equal partition tuples of one spec, whatever the value types: partition
// values of other engines' specs may be bigints or bytes, which JSON.stringify cannot hold.
import type { PartitionTuple } from "./manifest-types.js";

export function partitionKeyOf(partitionSpecId: number, partition: PartitionTuple): string {
  const values = Object.keys(partition)
    .sort()
    .map((name) => {
      const value = partition[name] ?? null;
      if (typeof value === "bigint") return [name, "bigint", value.toString()];
      if (value instanceof Uint8Array) return [name, "bytes", Buffer.from(value).toString("hex")];
      return [name, typeof value, value];
    });
  return JSON.stringify([partitionSpecId, values]);
}
