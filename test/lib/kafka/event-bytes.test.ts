import { describe, expect, it } from "vitest";
import { ByteSlabs } from "../../../lib/kafka/event-bytes.js";

function bytesOf(slabs: ByteSlabs, text: string): number[] | undefined {
  const start = slabs.decodeBase64Into(text);
  return start < 0 ? undefined : [...slabs.slab.subarray(start, slabs.used)];
}

describe("ByteSlabs.decodeBase64Into", () => {
  it("decodes standard and URL-safe base64, padded or not, as Buffer does", () => {
    const slabs = new ByteSlabs(64);
    for (let length = 0; length < 100; length++) {
      const bytes = Uint8Array.from({ length }, (_, index) => (index * 151 + length * 7) & 0xff);
      const standard = Buffer.from(bytes).toString("base64");
      for (const form of [standard, standard.replace(/=+$/, ""), Buffer.from(bytes).toString("base64url")]) {
        expect(bytesOf(slabs, form), form).toEqual([...bytes]);
      }
    }
  });

  it("keeps earlier bytes intact when a later field needs a new slab, and gives a large field a slab of its own", () => {
    const slabs = new ByteSlabs(8);
    const first = slabs.decodeBase64(Buffer.from("abcdef").toString("base64"));
    const large = slabs.decodeBase64(Buffer.from("a field larger than a slab").toString("base64"));
    const third = slabs.decodeBase64(Buffer.from("xyz").toString("base64"));
    expect(Buffer.from(first ?? []).toString()).toBe("abcdef");
    expect(Buffer.from(large ?? []).toString()).toBe("a field larger than a slab");
    expect(Buffer.from(third ?? []).toString()).toBe("xyz");
  });

  it.each([
    ["a character outside the alphabet", "YWJj!ZGVm"],
    ["a line break", "YWJj\nZGVm"],
    ["a space", "YWJj ZGVm"],
    ["a misplaced =", "a=bc"],
    ["three = of padding", "YQ==="],
    ["padding on a length that is not a multiple of 4", "YWJ=="],
    ["one character too many", "YWJjZ"],
    ["a lone character", "Y"],
    ["only padding", "===="],
  ])("refuses %s", (_name, text) => {
    const slabs = new ByteSlabs();
    expect(slabs.decodeBase64Into(text)).toBe(-1);
    expect(slabs.decodeBase64(text)).toBeUndefined();
  });

  it("leaves no trace of refused text: the next field starts where it would have", () => {
    const slabs = new ByteSlabs();
    slabs.decodeBase64Into("YWJj");
    const end = slabs.used;
    expect(slabs.decodeBase64Into("YWJj!ZGVm")).toBe(-1);
    expect(slabs.decodeBase64Into("ZGVm")).toBe(end);
  });
});

describe("ByteSlabs.copyByteList", () => {
  it("copies byte values, Java's signed bytes as their unsigned form", () => {
    const slabs = new ByteSlabs();
    expect([...(slabs.copyByteList([0, 1, 127, 128, 255, -1, -128]) ?? [])]).toEqual([0, 1, 127, 128, 255, 255, 128]);
    expect(slabs.copyByteList([])).toEqual(new Uint8Array(0));
  });

  it.each([
    ["a fraction", [1, 1.5]],
    ["a value above 255", [256]],
    ["a value below -128", [-129]],
    ["a string", ["1"]],
    ["null", [null]],
    ["NaN", [Number.NaN]],
    ["Infinity", [Number.POSITIVE_INFINITY]],
    ["a hole", Object.assign(new Array<unknown>(3), { 0: 1, 2: 2 })],
  ])("refuses a list with %s", (_name, list) => {
    expect(new ByteSlabs().copyByteList(list as unknown[])).toBeUndefined();
  });
});
