import { describe, expect, it } from "vitest";
import { appendString, LeafValues } from "../../../lib/parquet/leaf-values.js";

describe("appendString", () => {
  it("writes each string's UTF-8 bytes back to back, as TextEncoder.encode gives them", () => {
    const strings = ["", "a", "order-1", "München", "São Paulo", "Zürich", "日本語", "emoji 🎉 mixed", "\u{10ffff}", "lone \ud800 high", "lone \udc00 low", "trailing \ud83c", "x".repeat(5000), "é".repeat(3000)];
    const values = new LeafValues("bytes", 1);
    for (const text of strings) appendString(values, text);
    const encoder = new TextEncoder();
    expect(values.count).toBe(strings.length);
    strings.forEach((text, index) => {
      expect(values.bytes.subarray(values.offsets[index], values.offsets[index + 1]), JSON.stringify(text.slice(0, 20))).toEqual(encoder.encode(text));
    });
  });
});
