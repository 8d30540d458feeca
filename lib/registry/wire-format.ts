// The Confluent wire format of a Protobuf record value:
// https://docs.confluent.io/platform/current/schema-registry/fundamentals/serdes-develop/index.html#wire-format
// byte 0 is the magic byte 0, bytes 1-4 the schema id (big-endian), then the path of the
// message within the schema file as zigzag varints (a count, then that many indexes; the one
// byte 0x00 stands for [0], the first message), then the Protobuf payload.
import { ExportError } from "../core/errors.js";

export type ConfluentFrameDecoding =
  | { ok: true; schemaId: number; messageIndexes: number[]; payload: Uint8Array }
  | { ok: false; reason: string };

const magicByte = 0;
const headerLength = 5;
const maxVarintBytes = 5;

/** Never throws: a value that is not a well-formed frame is `{ ok: false }` with the reason in words. */
export function decodeConfluentFrame(bytes: Uint8Array): ConfluentFrameDecoding {
  const magic = bytes[0];
  // The magic byte first: it tells a raw Protobuf value apart, whatever its length.
  if (magic !== undefined && magic !== magicByte) return { ok: false, reason: `wrong magic byte 0x${magic.toString(16).padStart(2, "0")}` };
  if (bytes.length < headerLength + 1) return { ok: false, reason: `frame of ${bytes.length} byte(s) is shorter than the 6-byte minimum` };
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const schemaId = view.getUint32(1);

  const count = readZigzagVarint(bytes, headerLength);
  if (!count.ok) return { ok: false, reason: varintFailure(count.problem, "the message-index count") };
  if (count.value < 0) return { ok: false, reason: `negative message-index count ${count.value}` };
  if (count.value === 0) return { ok: true, schemaId, messageIndexes: [0], payload: bytes.subarray(count.next) };
  const bytesLeft = bytes.length - count.next;
  if (count.value > bytesLeft) return { ok: false, reason: `message-index count ${count.value} exceeds the ${bytesLeft} byte(s) left in the frame` };

  const messageIndexes: number[] = [];
  let offset = count.next;
  while (messageIndexes.length < count.value) {
    const index = readZigzagVarint(bytes, offset);
    if (!index.ok) return { ok: false, reason: varintFailure(index.problem, `message index #${messageIndexes.length + 1}`) };
    if (index.value < 0) return { ok: false, reason: `negative message index ${index.value}` };
    messageIndexes.push(index.value);
    offset = index.next;
  }
  return { ok: true, schemaId, messageIndexes, payload: bytes.subarray(offset) };
}

/** `[0]`, the first message of the schema, gets the one-byte form, as Confluent's serializers write it. */
export function encodeConfluentFrame(schemaId: number, messageIndexes: readonly number[], payload: Uint8Array): Uint8Array {
  if (!Number.isInteger(schemaId) || schemaId < 0 || schemaId > 0xffff_ffff) throw new ExportError("INTERNAL", `schema id ${schemaId} is not an unsigned 32-bit integer`);
  if (messageIndexes.length === 0) throw new ExportError("INTERNAL", "a message-index path names at least one message");
  for (const index of messageIndexes) {
    if (!Number.isInteger(index) || index < 0 || index > 0x7fff_ffff) throw new ExportError("INTERNAL", `message index ${index} is not a non-negative 32-bit integer`);
  }
  const isFirstMessage = messageIndexes.length === 1 && messageIndexes[0] === 0;
  const indexBytes = isFirstMessage ? [0] : [messageIndexes.length, ...messageIndexes].flatMap((value) => zigzagVarint(value));

  const frame = new Uint8Array(headerLength + indexBytes.length + payload.length);
  const view = new DataView(frame.buffer);
  view.setUint8(0, magicByte);
  view.setUint32(1, schemaId);
  frame.set(indexBytes, headerLength);
  frame.set(payload, headerLength + indexBytes.length);
  return frame;
}

type VarintProblem = "truncated" | "over 32 bits";

type VarintReading = { ok: true; value: number; next: number } | { ok: false; problem: VarintProblem };

function readZigzagVarint(bytes: Uint8Array, start: number): VarintReading {
  let unsigned = 0;
  for (let i = 0; i < maxVarintBytes; i++) {
    const byte = bytes[start + i];
    if (byte === undefined) return { ok: false, problem: "truncated" };
    const bits = byte & 0x7f;
    // The fifth byte holds bits 28-31: anything above its low four bits is past 32 bits.
    if (i === maxVarintBytes - 1 && bits > 0x0f) return { ok: false, problem: "over 32 bits" };
    unsigned += bits * 2 ** (7 * i);
    if ((byte & 0x80) === 0) return { ok: true, value: zigzagDecode(unsigned), next: start + i + 1 };
  }
  return { ok: false, problem: "over 32 bits" };
}

function varintFailure(problem: VarintProblem, what: string): string {
  return problem === "truncated" ? `truncated message-index array (in ${what})` : `${what} is a varint longer than 32 bits`;
}

function zigzagDecode(unsigned: number): number {
  return unsigned % 2 === 0 ? unsigned / 2 : -(unsigned + 1) / 2;
}

/** Only for non-negative values, whose zigzag encoding is twice the value. */
function zigzagVarint(value: number): number[] {
  let remaining = value * 2;
  const bytes: number[] = [];
  while (remaining >= 0x80) {
    bytes.push((remaining % 0x80) | 0x80);
    remaining = Math.floor(remaining / 0x80);
  }
  bytes.push(remaining);
  return bytes;
}
