// google.protobuf.Timestamp and Duration (seconds int64, nanos int32) as microseconds,
// nanoseconds truncated (SPEC.md §3). Read here for the row decoder and the columnar one;
// the columnar one keeps the number while it is exact, so that no BigInt is made per value.
import { WireType, fieldTag, readSignedVarint64, readSmallVarint, readTag, readVarint32, skipField, type Cursor } from "./protobuf-reader.js";

const secondsTag = fieldTag(1, WireType.varint);
const nanosTag = fieldTag(2, WireType.varint);
// Up to this many seconds (the year 2255), microseconds are exact in a double.
const maxSecondsInDouble = 9_000_000_000;

/** The message body up to `cursor.end`: a number while exact in a double, a bigint beyond. */
export function readSecondsAndNanosAsMicros(cursor: Cursor): number | bigint {
  let seconds = 0;
  let wideSeconds: bigint | undefined;
  let nanos = 0;
  while (cursor.pos < cursor.end) {
    const tag = readTag(cursor);
    if (tag === secondsTag) {
      const small = readSmallVarint(cursor);
      if (small >= 0 && small <= maxSecondsInDouble) {
        seconds = small;
        wideSeconds = undefined;
      } else wideSeconds = small >= 0 ? BigInt(small) : readSignedVarint64(cursor);
    } else if (tag === nanosTag) nanos = readVarint32(cursor) | 0;
    else skipField(cursor, tag & 7, tag >>> 3);
  }
  const micros = Math.trunc(nanos / 1000);
  if (wideSeconds === undefined) return seconds * 1_000_000 + micros;
  return wideSeconds * 1_000_000n + BigInt(micros);
}
