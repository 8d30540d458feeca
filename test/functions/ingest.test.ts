import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it, vi } from "vitest";
import { handler } from "../../functions/ingest.js";

const mskEvent: unknown = JSON.parse(readFileSync(new URL("../fixtures/events/msk-event.json", import.meta.url), "utf8"));

describe("the ingest handler", () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it("fails a malformed event with INVALID_EVENT before touching any service", async () => {
    await expect(handler({ eventSource: "aws:kafka" })).rejects.toMatchObject({ code: "INVALID_EVENT", retryable: false });
  });

  it("does not refuse an event for a malformed record in it: parsing sets the record aside and goes on", async () => {
    const records = (mskEvent as { records: Record<string, Record<string, unknown>[]> }).records;
    const event = { ...(mskEvent as object), records: { ...records, "orders-0": [...(records["orders-0"] ?? []), { offset: -1, timestamp: 1, key: "not base64!" }] } };
    vi.stubEnv("WAREHOUSE", "");
    vi.stubEnv("CATALOG", "glue");
    // Past parsing: the next thing to fail is the missing setting, not the event.
    await expect(handler(event)).rejects.toThrow("configuration setting WAREHOUSE: is required");
  });

  it("fails with a message naming a missing setting", async () => {
    vi.stubEnv("WAREHOUSE", "");
    vi.stubEnv("CATALOG", "glue");
    await expect(handler(mskEvent)).rejects.toThrow("configuration setting WAREHOUSE: is required");
  });
});
