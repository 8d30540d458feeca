import { describe, expect, it } from "vitest";
import { lowerBound, serializeValue, truncateCodePoints, truncatedBinaryUpperBound, truncatedStringUpperBound, twosComplementBigEndian, upperBound } from "../../../lib/parquet/bounds.js";

const utf8 = new TextEncoder();

function bytes(...values: number[]): Uint8Array {
  return Uint8Array.from(values);
}

/** Unsigned lexicographic order of UTF-8 bytes: how Iceberg compares strings and binary. */
function compareBytes(left: Uint8Array, right: Uint8Array): number {
  for (let index = 0; index < Math.min(left.length, right.length); index++) {
    const difference = (left[index] as number) - (right[index] as number);
    if (difference !== 0) return difference;
  }
  return left.length - right.length;
}

describe("single-value serialization (Iceberg spec, Appendix D)", () => {
  it.each([
    ["boolean", false, bytes(0)],
    ["boolean", true, bytes(1)],
    ["int", -2, bytes(0xfe, 0xff, 0xff, 0xff)],
    ["int", 258, bytes(0x02, 0x01, 0x00, 0x00)],
    ["long", -1n, bytes(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff)],
    ["long", 1_000_000n, bytes(0x40, 0x42, 0x0f, 0, 0, 0, 0, 0)],
    ["timestamptz", 1_767_225_600_000_000n, bytes(0x00, 0x40, 0x20, 0x46, 0x48, 0x47, 0x06, 0x00)],
    ["float", 1.5, bytes(0x00, 0x00, 0xc0, 0x3f)],
    ["double", -2, bytes(0, 0, 0, 0, 0, 0, 0x00, 0xc0)],
    ["string", "héllo", utf8.encode("héllo")],
    ["binary", bytes(0, 255, 7), bytes(0, 255, 7)],
  ] as const)("writes a %s %s", (type, value, expected) => {
    expect(serializeValue(type, value)).toEqual(expected);
  });

  it.each([
    [0n, [0x00]],
    [127n, [0x7f]],
    [128n, [0x00, 0x80]],
    [255n, [0x00, 0xff]],
    [256n, [0x01, 0x00]],
    [-1n, [0xff]],
    [-128n, [0x80]],
    [-129n, [0xff, 0x7f]],
    [18_446_744_073_709_551_615n, [0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]],
  ])("writes the unscaled decimal %s as the fewest big-endian two's complement bytes", (unscaled, expected) => {
    expect(twosComplementBigEndian(unscaled)).toEqual(Uint8Array.from(expected));
    expect(serializeValue("decimal(20, 0)", unscaled)).toEqual(Uint8Array.from(expected));
  });
});

describe("string bounds, truncated to code points", () => {
  it("counts code points, not UTF-16 units or bytes", () => {
    expect(truncateCodePoints("a😀b€c", 3)).toBe("a😀b");
    expect(truncateCodePoints("日本語のテキスト", 2)).toBe("日本");
    expect(truncateCodePoints("short", 16)).toBe("short");
  });

  it("keeps a value of at most the truncation length whole, in both bounds", () => {
    const value = "exactly 16 chars";
    expect(lowerBound("string", value, 16)).toEqual(utf8.encode(value));
    expect(upperBound("string", value, 16)).toEqual(utf8.encode(value));
  });

  it("cuts a longer lower bound to a prefix", () => {
    expect(lowerBound("string", "ünïcödé-and-more-than-sixteen", 16)).toEqual(utf8.encode("ünïcödé-and-more"));
  });

  it("increments the last code point of a truncated upper bound", () => {
    expect(truncatedStringUpperBound("abcdefghijklmnopqrstuvwxyz", 16)).toBe("abcdefghijklmnoq");
    expect(truncatedStringUpperBound("日本語のテキストです", 3)).toBe("日本誟");
  });

  it("carries past code points that have no successor, and skips the surrogate range", () => {
    expect(truncatedStringUpperBound("ab\u{10ffff}\u{10ffff}zzz", 4)).toBe("ac");
    expect(truncatedStringUpperBound("a\ud7ffzz", 2)).toBe("a\ue000");
    expect(truncatedStringUpperBound("a😀zz", 2)).toBe("a😁");
  });

  it("gives no upper bound when every kept code point is U+10FFFF", () => {
    expect(truncatedStringUpperBound("\u{10ffff}\u{10ffff}x", 2)).toBeUndefined();
    expect(upperBound("string", "\u{10ffff}\u{10ffff}x", 2)).toBeUndefined();
  });

  it("gives bounds around every value, in UTF-8 byte order", () => {
    const alphabet = ["a", "z", "é", "€", "\ud7ff", "\ue000", "\uffff", "😀", "\u{10ffff}"];
    let seed = 7;
    const random = (): number => (seed = (seed * 48271) % 2147483647) / 2147483647;
    for (let run = 0; run < 2000; run++) {
      const value = Array.from({ length: 1 + Math.floor(random() * 8) }, () => alphabet[Math.floor(random() * alphabet.length)]).join("");
      const length = 1 + Math.floor(random() * 5);
      const encoded = utf8.encode(value);
      expect(compareBytes(lowerBound("string", value, length), encoded)).toBeLessThanOrEqual(0);
      const upper = upperBound("string", value, length);
      if (upper !== undefined) expect(compareBytes(upper, encoded), value).toBeGreaterThanOrEqual(0);
      else expect(Array.from(value).slice(0, length).every((character) => character === "\u{10ffff}")).toBe(true);
    }
  });
});

describe("binary bounds, truncated to bytes", () => {
  it("cuts a lower bound to a prefix and leaves a short value whole", () => {
    expect(lowerBound("binary", bytes(1, 2, 3, 4), 2)).toEqual(bytes(1, 2));
    expect(lowerBound("binary", bytes(1, 2), 2)).toEqual(bytes(1, 2));
    expect(upperBound("binary", bytes(1, 0xff), 2)).toEqual(bytes(1, 0xff));
  });

  it("increments the last byte below 0xFF of a truncated upper bound, dropping the 0xFF bytes after it", () => {
    expect(truncatedBinaryUpperBound(bytes(1, 2, 3, 4), 2)).toEqual(bytes(1, 3));
    expect(truncatedBinaryUpperBound(bytes(1, 0xff, 0xff, 0), 3)).toEqual(bytes(2));
  });

  it("gives no upper bound when every kept byte is 0xFF", () => {
    expect(truncatedBinaryUpperBound(bytes(0xff, 0xff, 0x01), 2)).toBeUndefined();
  });

  it("does not change the value it bounds", () => {
    const value = bytes(1, 2, 3, 4);
    truncatedBinaryUpperBound(value, 2);
    expect(value).toEqual(bytes(1, 2, 3, 4));
  });
});
