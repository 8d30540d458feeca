// Where the runner needs each partition read from (lib/runner/export-pipeline.ts), over the
// local state store: the start offset, or one past the staged watermark once it is beyond;
// nothing for a disabled topic.
import { describe, expect, it } from "vitest";
import { createLocalStateStore } from "../../../lib/adapters/local/local-state-store.js";
import { exportStartOffsets } from "../../../lib/runner/export-pipeline.js";
import { stageRequest, topicExport } from "../../contracts/state-store-contract.js";
import { temporaryFolder } from "../adapters/local/temp-folder.js";

describe("exportStartOffsets", () => {
  it("gives each partition its start offset, or one past its staged watermark when that is later", async () => {
    const store = createLocalStateStore({ directory: temporaryFolder("start-offsets") });
    await store.putTopicExport(topicExport({ topic: "orders", startOffsets: { 0: 100n, 1: 50n, 2: 7n } }));
    await store.stageFiles(stageRequest({ partition: 0, expectedWatermark: undefined, newWatermark: 149n, files: [] }));
    // A watermark below the start offset is from before a disable/enable gap.
    await store.stageFiles(stageRequest({ partition: 1, expectedWatermark: undefined, newWatermark: 20n, files: [] }));
    expect(await exportStartOffsets(store)("orders")).toEqual({ 0: 150n, 1: 50n, 2: 7n });
  });

  it("gives nothing for a disabled topic or one never enabled", async () => {
    const store = createLocalStateStore({ directory: temporaryFolder("start-offsets") });
    await store.putTopicExport(topicExport({ topic: "orders", enabled: false }));
    expect(await exportStartOffsets(store)("orders")).toBeUndefined();
    expect(await exportStartOffsets(store)("clicks")).toBeUndefined();
  });
});
