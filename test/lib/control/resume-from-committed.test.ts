import { describe, expect, it } from "vitest";
import { resumeFromCommitted } from "../../../lib/control/enable-topic.js";

describe("resumeFromCommitted", () => {
  it("starts each partition right after the table's committed offset, and the others at the log end", () => {
    const resumed = resumeFromCommitted({ 0: 500n, 1: 700n, 2: 90n }, new Map([[0, 299n], [2, 2n ** 62n]]));
    expect(resumed).toEqual({ startOffsets: { 0: 300n, 1: 700n, 2: 2n ** 62n + 1n }, fromCommitted: { 0: 300n, 2: 2n ** 62n + 1n }, atLogEnd: [1] });
  });

  it("keeps a committed partition the topic no longer reports, so its records are not skipped", () => {
    expect(resumeFromCommitted({ 0: 10n }, new Map([[3, 41n]])).startOffsets).toEqual({ 0: 10n, 3: 42n });
  });
});
