import { describe, expect, it } from "vitest";
import { fileNamePart, maxTopicPartLength } from "../../../lib/storage/file-name-part.js";

describe("the topic part of a data file name", () => {
  it("is the topic itself when it is short and plain, as before", () => {
    expect(fileNamePart("orders")).toBe("orders");
    expect(fileNamePart("Shop.Orders-v2_x")).toBe("Shop.Orders-v2_x");
    expect(fileNamePart("a+b")).toBe("a+b");
  });

  it("is bounded for the longest topic Kafka allows, and tells topics with a common beginning apart", () => {
    const long = "t".repeat(248);
    const a = fileNamePart(`${long}a`);
    const b = fileNamePart(`${long}b`);
    expect(a).toHaveLength(maxTopicPartLength);
    expect(a).toMatch(/^t+_[0-9a-f]{16}$/);
    expect(a).not.toBe(b);
    expect(fileNamePart(`${long}a`)).toBe(a);
  });

  it("replaces characters no file name should hold, and still tells the topics apart", () => {
    const part = fileNamePart("a/b\u0000c d");
    expect(part).toMatch(/^a_b_c_d_[0-9a-f]{16}$/);
    expect(part).not.toBe(fileNamePart("a_b_c_d"));
    expect(fileNamePart("ünïcode")).toMatch(/^[A-Za-z0-9._+-]+$/);
  });
});
