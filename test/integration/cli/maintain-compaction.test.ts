// `maintain` compacts through the CLI on the embedded default, read back by pyiceberg.
import { describe, expect, it } from "vitest";
import { createCommitHarness, expectedOrderIds, orderIds } from "../commit/commit-harness.js";
import { runCli } from "./cli-process.js";

describe("kafka-iceberg-export maintain compaction", () => {
  it("compacts a partition's small files as a replace snapshot, or not when switched off", async () => {
    const harness = await createCommitHarness({ storage: "local" });
    const { config } = harness;
    if (config.state.type !== "local") throw new Error("expected local state");
    const flags = ["--warehouse", harness.warehouse, "--state-directory", config.state.directory];
    for (let commit = 0; commit < 5; commit++) {
      await harness.ingestOrders(0, commit * 5, commit * 5 + 4);
      await harness.commit();
    }
    // Written a moment ago: open, with fewer small files than the default threshold of 10.
    const open = await runCli(["maintain", ...flags]);
    expect(open.code, open.stderr).toBe(0);
    expect(open.stdout).toContain(`${harness.table}: no small files to compact`);
    const off = await runCli(["maintain", "--compact", "false", "--compaction-min-files", "2", ...flags]);
    expect(off.stdout).toContain(`${harness.table}: compaction is switched off`);

    const compacted = await runCli(["maintain", "--compaction-min-files", "5", "--target-file-size-bytes", "1048576", ...flags]);
    expect(compacted.code, compacted.stderr).toBe(0);
    expect(compacted.stdout).toMatch(new RegExp(`${harness.table.replace(".", "\\.")}: compacted 5 small file\\(s\\) into 1 \\(\\d+ -> \\d+ bytes\\)`));
    const table = await harness.readTable();
    expect(table["data-files"]).toHaveLength(1);
    expect(table.snapshots.at(-1)?.summary["operation"]).toBe("replace");
    expect(orderIds(table)).toEqual(expectedOrderIds([0, 24]));

    const bad = await runCli(["maintain", "--compaction-min-files", "none", ...flags]);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain("COMPACTION_MIN_FILES");
  });
});
