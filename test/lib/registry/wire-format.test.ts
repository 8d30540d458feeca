import { describe, expect, it } from "vitest";
import { seededRandom } from "../../../lib/core/seeded-random.js";
import { decodeConfluentFrame, encodeConfluentFrame } from "../../../lib/registry/wire-format.js";
import { heavyTestTimeoutMs } from "../../heavy-test-timeout.js";

const payload = Uint8Array.of(0x0a, 0x03, 0x6f, 0x2d, 0x31);

function frame(...bytes: number[]): Uint8Array {
  return Uint8Array.of(...bytes);
}

describe("decodeConfluentFrame", () => {
  it("reads the one-byte form of [0]", () => {
    expect(decodeConfluentFrame(frame(0, 0, 0, 0, 42, 0, ...payload))).toEqual({ ok: true, schemaId: 42, messageIndexes: [0], payload });
  });

  it("reads the long form of [0]: a count of one, then index 0", () => {
    expect(decodeConfluentFrame(frame(0, 0, 0, 0, 42, 2, 0, ...payload))).toEqual({ ok: true, schemaId: 42, messageIndexes: [0], payload });
  });

  it("reads a nested message path", () => {
    expect(decodeConfluentFrame(frame(0, 0, 0, 1, 0, 6, 2, 0, 4, ...payload))).toEqual({ ok: true, schemaId: 256, messageIndexes: [1, 0, 2], payload });
  });

  it("reads the schema id as a big-endian unsigned 32-bit integer", () => {
    expect(decodeConfluentFrame(frame(0, 1, 2, 3, 4, 0))).toMatchObject({ ok: true, schemaId: 0x01020304 });
    expect(decodeConfluentFrame(frame(0, 0xff, 0xff, 0xff, 0xff, 0))).toMatchObject({ ok: true, schemaId: 0xffff_ffff });
  });

  it("reads multi-byte varints, up to the largest 32-bit index", () => {
    expect(decodeConfluentFrame(frame(0, 0, 0, 0, 1, 4, 0xd8, 0x04, 0xfe, 0xff, 0xff, 0xff, 0x0f))).toEqual({
      ok: true,
      schemaId: 1,
      messageIndexes: [300, 0x7fff_ffff],
      payload: new Uint8Array(),
    });
  });

  it("accepts an empty payload, the encoding of a message with every field at its default", () => {
    expect(decodeConfluentFrame(frame(0, 0, 0, 0, 7, 0))).toEqual({ ok: true, schemaId: 7, messageIndexes: [0], payload: new Uint8Array() });
  });

  it("reads a frame that is a view into a larger buffer", () => {
    const buffer = frame(9, 9, 9, 0, 0, 0, 0, 5, 2, 2, ...payload);
    expect(decodeConfluentFrame(buffer.subarray(3))).toEqual({ ok: true, schemaId: 5, messageIndexes: [1], payload });
  });

  it("refuses a wrong magic byte", () => {
    expect(decodeConfluentFrame(frame(7, 0, 0, 0, 1, 0, ...payload))).toEqual({ ok: false, reason: "wrong magic byte 0x07" });
    // A raw Protobuf payload (field 1, length-delimited) is not a frame either.
    expect(decodeConfluentFrame(payload)).toEqual({ ok: false, reason: "wrong magic byte 0x0a" });
  });

  it("refuses a frame truncated anywhere before its payload, and keeps what is left as payload after", () => {
    const whole = frame(0, 0, 0, 0, 3, 6, 2, 0xd8, 0x04, 4, ...payload);
    const headerAndIndexes = 10;
    for (let length = 0; length < headerAndIndexes; length++) {
      const decoded = decodeConfluentFrame(whole.subarray(0, length));
      expect(decoded.ok, `length ${length}`).toBe(false);
    }
    expect(decodeConfluentFrame(whole.subarray(0, 5))).toEqual({ ok: false, reason: "frame of 5 byte(s) is shorter than the 6-byte minimum" });
    expect(decodeConfluentFrame(whole.subarray(0, 8))).toEqual({ ok: false, reason: "message-index count 3 exceeds the 2 byte(s) left in the frame" });
    expect(decodeConfluentFrame(whole.subarray(0, 9))).toEqual({ ok: false, reason: "truncated message-index array (in message index #3)" });
    for (let length = headerAndIndexes; length <= whole.length; length++) {
      expect(decodeConfluentFrame(whole.subarray(0, length))).toEqual({ ok: true, schemaId: 3, messageIndexes: [1, 300, 2], payload: payload.subarray(0, length - headerAndIndexes) });
    }
  });

  it("refuses a varint longer than 32 bits", () => {
    expect(decodeConfluentFrame(frame(0, 0, 0, 0, 1, 0xff, 0xff, 0xff, 0xff, 0x1f, 0))).toEqual({
      ok: false,
      reason: "the message-index count is a varint longer than 32 bits",
    });
    expect(decodeConfluentFrame(frame(0, 0, 0, 0, 1, 2, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01))).toEqual({
      ok: false,
      reason: "message index #1 is a varint longer than 32 bits",
    });
  });

  it("refuses negative counts and indexes", () => {
    expect(decodeConfluentFrame(frame(0, 0, 0, 0, 1, 1, 0))).toEqual({ ok: false, reason: "negative message-index count -1" });
    expect(decodeConfluentFrame(frame(0, 0, 0, 0, 1, 4, 2, 3))).toEqual({ ok: false, reason: "negative message index -2" });
  });

  it("refuses a count of more indexes than bytes left", () => {
    expect(decodeConfluentFrame(frame(0, 0, 0, 0, 1, 0xc8, 0x01, 2, 2, 2))).toEqual({ ok: false, reason: "message-index count 100 exceeds the 3 byte(s) left in the frame" });
  });

  it("never throws on random bytes", { timeout: heavyTestTimeoutMs }, () => {
    const random = seededRandom(20_240_611);
    for (let run = 0; run < 5_000; run++) {
      const bytes = Uint8Array.from({ length: Math.floor(random() * 24) }, () => Math.floor(random() * 256));
      // Half the inputs get the right magic byte, so that the index array is exercised too.
      if (bytes.length > 0 && random() < 0.5) bytes[0] = 0;
      const context = `run ${run}: [${bytes.join(", ")}]`;
      const decoded = decodeConfluentFrame(bytes);
      if (decoded.ok) {
        expect(decoded.messageIndexes.every((index) => Number.isInteger(index) && index >= 0), context).toBe(true);
        expect(bytes.subarray(bytes.length - decoded.payload.length), context).toEqual(decoded.payload);
      } else {
        expect(decoded.reason, context).not.toBe("");
      }
    }
  });
});

describe("encodeConfluentFrame", () => {
  it("writes [0] in the one-byte form", () => {
    expect(encodeConfluentFrame(42, [0], payload)).toEqual(frame(0, 0, 0, 0, 42, 0, ...payload));
  });

  it("writes other paths as a zigzag count and zigzag indexes", () => {
    expect(encodeConfluentFrame(0x01020304, [1, 0, 2], payload)).toEqual(frame(0, 1, 2, 3, 4, 6, 2, 0, 4, ...payload));
    expect(encodeConfluentFrame(1, [300], new Uint8Array())).toEqual(frame(0, 0, 0, 0, 1, 2, 0xd8, 0x04));
  });

  it("round-trips random paths and ids", () => {
    const random = seededRandom(7);
    for (let run = 0; run < 500; run++) {
      const schemaId = Math.floor(random() * 0x1_0000_0000);
      const messageIndexes = Array.from({ length: 1 + Math.floor(random() * 4) }, () => Math.floor(random() ** 4 * 0x8000_0000));
      expect(decodeConfluentFrame(encodeConfluentFrame(schemaId, messageIndexes, payload))).toEqual({ ok: true, schemaId, messageIndexes, payload });
    }
  });

  it("refuses what the format cannot carry", () => {
    expect(() => encodeConfluentFrame(-1, [0], payload)).toThrow("schema id -1");
    expect(() => encodeConfluentFrame(2 ** 32, [0], payload)).toThrow("schema id 4294967296");
    expect(() => encodeConfluentFrame(1, [], payload)).toThrow("at least one message");
    expect(() => encodeConfluentFrame(1, [0, -1], payload)).toThrow("message index -1");
    expect(() => encodeConfluentFrame(1, [2 ** 31], payload)).toThrow("message index 2147483648");
  });
});
