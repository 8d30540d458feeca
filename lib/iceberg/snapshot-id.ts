// Snapshot ids are random positive longs (spec: "A unique long ID").
import { randomBytes } from "node:crypto";

export function newSnapshotId(): bigint {
  const id = randomBytes(8).readBigUInt64BE() & 0x7fff_ffff_ffff_ffffn;
  return id === 0n ? 1n : id;
}
