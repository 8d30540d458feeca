// Iceberg-Java appending, compacting (rewrite_data_files), expiring (expire_snapshots) and
// removing orphans beside OUR maintenance pass and our commits (SPEC.md §8), in both orders
// of landing: Java's snapshots landing inside our pass (between its load and its commit, by
// construction), and our pass landing first with Java's maintenance on top of it, a pass of
// ours inside our own commit's window, and a Kafka redelivery after Java expired every
// snapshot of ours. Each ends with every record exactly once, pyiceberg and Iceberg-Java
// agreeing (readTable compares them), no file the table needs missing and, after our orphan
// pass, nothing unreferenced under the table location.
import { describe, expect, it } from "vitest";
import { javaAppendRows, javaExpireSnapshots, javaRemoveOrphanFiles, javaRewriteDataFiles, type JavaTableAddress } from "../../env/java-iceberg.js";
import { createCommitHarness, orderIds, type CommitHarness } from "../commit/commit-harness.js";
import { keepTwoSnapshots, landingFirst, maintenancePass, workload } from "./maintenance-workload.js";
import { missingFiles, unreferencedFiles } from "./table-files.js";

function javaAddress(harness: CommitHarness): Exclude<JavaTableAddress, { catalog: "metadata-file" }> {
  return harness.config.catalog.type === "local" ? { catalog: "local", tableLocation: harness.tableLocation } : { catalog: "glue", ...harness.glueTable };
}

// `headers` is given: where Spark writes a null top-level list, pyiceberg reads [] and Java null.
const javaRow = (id: string, timestamp: string) => ({ val: { id, status: "PLACED" }, headers: [], timestamp });

async function expectHealthy(harness: CommitHarness, ids: string[]): Promise<void> {
  expect(await missingFiles(harness)).toEqual([]);
  expect(orderIds(await harness.readTable())).toEqual([...ids].sort());
}

describe.each(["aws", "local"] as const)("Iceberg-Java maintaining a table beside our maintenance (%s catalog)", (storage) => {
  it("Java's append, rewrite and our commit land inside our compaction, Java's expiry inside ours: our groups are dropped, our expiry plans again", { timeout: 600_000 }, async () => {
    const harness = await createCommitHarness({ storage });
    const table = javaAddress(harness);
    const work = workload(harness);
    await work.add();
    await keepTwoSnapshots(harness);
    await work.stage();

    const pass = await maintenancePass(harness, {
      adapters: {
      catalog: landingFirst(harness.commitContext().catalog, {
        // Before our replace commit: Java appends, then rewrites every file (ours and its own), then our commit lands.
        1: async () => {
          await javaAppendRows(table, [javaRow("java-1", "2026-11-24T13:00:00Z")]);
          expect(Number((await javaRewriteDataFiles(table))["rewritten_data_files_count"])).toBeGreaterThan(3);
          expect((await harness.commit()).tables[0]).toMatchObject({ status: "committed", recordsCommitted: 5 });
        },
        // Before our expiry commit (the compaction's retry found nothing left to replace and committed nothing).
        2: async () => {
          await javaExpireSnapshots(table, { retainLast: 2 });
        },
      }),
      objectStore: harness.commitContext().objectStore,
      },
    });
    expect(pass.failures).toEqual([]);
    const [outcome] = pass.tables;
    // Java replaced the inputs of every group: dropped, their outputs deleted, no replaced file brought back.
    expect(outcome?.compaction?.groupsPlanned).toBeGreaterThan(0);
    expect(outcome?.compaction).toMatchObject({ groupsCommitted: 0, groupsDropped: outcome?.compaction?.groupsPlanned, conflictsRetried: 1 });
    await expectHealthy(harness, [...work.sent, "java-1"]);

    // The next pass of ours compacts what Java and our commit left, and cleans up.
    await work.add();
    expect((await maintenancePass(harness)).failures).toEqual([]);
    await expectHealthy(harness, [...work.sent, "java-1"]);
    expect(await unreferencedFiles(harness)).toEqual([]);
  });

  it("our pass lands first and Java's maintenance on top of it; a pass of ours lands inside our commit; a redelivery after Java expired our snapshots appends nothing twice", { timeout: 600_000 }, async () => {
    const harness = await createCommitHarness({ storage });
    const table = javaAddress(harness);
    const work = workload(harness);
    await work.add();
    await javaAppendRows(table, [javaRow("java-1", "2026-11-25T13:00:00Z")]);
    await keepTwoSnapshots(harness);
    const first = await maintenancePass(harness);
    expect(first.failures).toEqual([]);
    expect(first.tables[0]?.compaction?.groupsCommitted).toBe(2);
    await expectHealthy(harness, [...work.sent, "java-1"]);

    // Our pass lands between our commit's load and its commit: the commit is applied again on
    // the maintained table. The commit has written its manifest by then, referenced by no
    // snapshot yet: the orphan age (3 days by default) is what keeps a scan from taking it.
    await work.add();
    await work.stage();
    const committed = await harness.commit({
      catalog: landingFirst(harness.commitContext().catalog, {
        1: async () => {
          expect((await maintenancePass(harness, { orphanMinAgeMs: 60 * 60_000 })).failures).toEqual([]);
        },
      }),
    });
    expect(committed.tables[0]).toMatchObject({ status: "committed", conflictsRetried: 1, recordsCommitted: 5 });

    // Java's maintenance on top of ours: it rewrites our compacted files, expires every snapshot of ours, removes orphans.
    await javaRewriteDataFiles(table);
    await javaExpireSnapshots(table, { retainLast: 1 });
    await javaRemoveOrphanFiles(table);
    await expectHealthy(harness, [...work.sent, "java-1"]);

    // Kafka redelivers the last batch: its offsets are in the table property, not only in expired summaries.
    await work.stageAgain();
    await work.stage();
    expect((await harness.commit()).tables[0]).toMatchObject({ status: "committed", recordsCommitted: 5 });
    expect((await maintenancePass(harness)).failures).toEqual([]);
    await expectHealthy(harness, [...work.sent, "java-1"]);
    expect(await unreferencedFiles(harness)).toEqual([]);
  });
});
