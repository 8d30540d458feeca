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

  it("fails with a message naming a missing setting", async () => {
    vi.stubEnv("WAREHOUSE", "");
    vi.stubEnv("CATALOG", "glue");
    await expect(handler(mskEvent)).rejects.toThrow("configuration setting WAREHOUSE: is required");
  });
});
