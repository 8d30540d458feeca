// `maintain` and `drop-missing-staged` through the CLI on the embedded default, read back
// by pyiceberg.
import { describe, expect, it } from "vitest";
import { commitTableChange } from "../../../lib/catalog/table-change.js";
import { silentLogger } from "../../../lib/core/logger.js";
import { expiryProperties } from "../../../lib/iceberg/table-properties.js";
import { createCommitHarness, expectedOrderIds, orderIds } from "../commit/commit-harness.js";
import { runCli } from "./cli-process.js";

describe("kafka-iceberg-export maintain and drop-missing-staged", () => {
  it("expires snapshots past the table's retention, drops missing staged files and records the loss", async () => {
    const harness = await createCommitHarness({ storage: "local" });
    const { config } = harness;
    if (config.state.type !== "local") throw new Error("expected local state");
    const flags = ["--warehouse", harness.warehouse, "--state-directory", config.state.directory];
    const name = harness.table.split(".")[1] ?? "";
    for (let commit = 0; commit < 6; commit++) {
      await harness.ingestOrders(0, commit * 5, commit * 5 + 4);
      await harness.commit();
    }
    const context = harness.commitContext();
    await commitTableChange(
      { namespace: "kafka", name },
      () => ({ updates: [{ action: "set-properties", updates: { [expiryProperties.maxSnapshotAgeMs]: "1", [expiryProperties.minSnapshotsToKeep]: "2" } }], requirements: [], plan: undefined }),
      { catalog: context.catalog, logger: silentLogger, now: Date.now },
    );

    const maintained = await runCli(["maintain", "--table", name, ...flags]);
    expect(maintained.code, maintained.stderr).toBe(0);
    expect(maintained.stdout).toContain(`${harness.table}: expired 4 snapshot(s)`);
    const table = await harness.readTable();
    expect(table.snapshots).toHaveLength(2);
    expect(orderIds(table)).toEqual(expectedOrderIds([0, 29]));

    const again = await runCli(["maintain", ...flags]);
    expect(again.stdout).toContain(`${harness.table}: no snapshot to expire`);
    const unknown = await runCli(["maintain", "--table", "nope", ...flags]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain(`no exported topic writes a table named 'nope' (exported tables: ${harness.table})`);

    await harness.ingestOrders(0, 30, 39);
    const [staged] = await harness.context.stateStore.stagedFiles(harness.table);
    if (staged === undefined) throw new Error("nothing staged");
    await harness.context.objectStore.delete(staged.location);
    const failed = await runCli(["invoke", "commit", ...flags]);
    expect(failed.code).toBe(1);
    expect(failed.stdout + failed.stderr).toContain(`Run 'kafka-iceberg-export drop-missing-staged --table ${harness.table}'`);
    expect(failed.stdout).toContain('"MissingStagedFiles":1');
    const dropped = await runCli(["drop-missing-staged", "--table", harness.table, ...flags]);
    expect(dropped.code, dropped.stderr).toBe(0);
    expect(dropped.stdout).toContain(`${harness.table}: dropped ${harness.topic}-0 offsets 30-39 (10 records lost, ${staged.location})`);
    expect((await runCli(["invoke", "commit", ...flags])).code).toBe(0);
    expect(JSON.parse((await harness.readTable()).properties["kafka-iceberg-export.lost-ranges"] ?? "[]")).toHaveLength(1);
  });
});
