import { describe, expect, it } from "vitest";
import { compareSingleValues, singleValueBytes } from "../../../lib/iceberg/single-value.js";

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString("hex");
}

// Spec, "Appendix D: Single-value serialization", Binary single-value serialization.
describe("partition values in binary single-value form", () => {
  it.each([
    ["boolean", true, "01"],
    ["int", -2, "feffffff"],
    ["date", 20781, "2d510000"],
    ["long", 0x0102030405060708n, "0807060504030201"],
    ["timestamptz", -1n, "ffffffffffffffff"],
    ["float", 1.5, "0000c03f"],
    ["double", -2.5, "00000000000004c0"],
    ["string", "Zürich", "5ac3bc72696368"],
    ["binary", Uint8Array.of(0, 255), "00ff"],
  ] as const)("serializes a %s", (type, value, expected) => {
    expect(hex(singleValueBytes(type, value))).toBe(expected);
  });

  it("serializes a decimal's unscaled value in the fewest two's-complement bytes, big-endian", () => {
    // decimal(9, 2) as Avro stores it: 4 bytes. -1.00 → -100 → 0x9c; 12345.67 → 1234567 → 0x12d687.
    expect(hex(singleValueBytes("decimal(9, 2)", Uint8Array.of(0xff, 0xff, 0xff, 0x9c)))).toBe("9c");
    expect(hex(singleValueBytes("decimal(9, 2)", Uint8Array.of(0x00, 0x12, 0xd6, 0x87)))).toBe("12d687");
    expect(hex(singleValueBytes("decimal(9, 2)", Uint8Array.of(0x00, 0x00, 0x00, 0x80)))).toBe("0080");
  });

  it("orders values of each type as Iceberg does", () => {
    expect(compareSingleValues("long", -5n, 3n)).toBeLessThan(0);
    expect(compareSingleValues("date", 20781, 20700)).toBeGreaterThan(0);
    expect(compareSingleValues("string", "Z", "a")).toBeLessThan(0);
    expect(compareSingleValues("string", "\u{ffff}", "\u{10000}")).toBeLessThan(0);
    expect(compareSingleValues("binary", Uint8Array.of(0x7f), Uint8Array.of(0x80))).toBeLessThan(0);
    expect(compareSingleValues("decimal(9, 2)", Uint8Array.of(0xff, 0xff, 0xff, 0x9c), Uint8Array.of(0, 0, 0, 1))).toBeLessThan(0);
    expect(compareSingleValues("boolean", false, true)).toBeLessThan(0);
  });
});
