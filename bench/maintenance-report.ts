// The maintenance cases of the commit benchmark's report: what one pass cost, how big the
// metadata was before and after, and the commit time on the expired table against the
// 1-snapshot case.
import type { CaseMeasurement } from "./commit-measure.js";
import type { MaintenanceMeasurement } from "./maintenance-bench.js";
import { median, textTable } from "./text-table.js";

export interface MaintenanceCase {
  name: string;
  snapshotsBefore: number;
  dataFiles: number;
  metadataBytesBefore: number;
  pass: MaintenanceMeasurement;
  /** Commits measured on the table after the pass. */
  commitsAfter?: CaseMeasurement;
}

const targetRatio = 1.2;

export function printMaintenanceReport(cases: readonly MaintenanceCase[], firstCase: CaseMeasurement | undefined): void {
  console.log("\nmaintenance: one pass (expiry + orphan scan) in a fresh process, two days after the history was written");
  const header = ["table", "snapshots before", "data files", "metadata.json KB before", "pass ms", "peak RSS MB", "snapshots expired", "files deleted", "orphans removed", "metadata.json KB after"];
  const rows = cases.map(({ name, snapshotsBefore, dataFiles, metadataBytesBefore, pass }) => [
    name,
    snapshotsBefore.toLocaleString("en-US"),
    dataFiles.toLocaleString("en-US"),
    (metadataBytesBefore / 1024).toFixed(0),
    pass.wallMs.toFixed(0),
    pass.peakRssMb.toFixed(0),
    pass.snapshotsExpired.toLocaleString("en-US"),
    pass.filesDeleted.toLocaleString("en-US"),
    pass.orphansRemoved.toLocaleString("en-US"),
    (pass.metadataBytesAfter / 1024).toFixed(0),
  ]);
  console.log(textTable(header, rows));
  for (const { name, commitsAfter } of cases) {
    if (commitsAfter === undefined || firstCase === undefined) continue;
    const ratio = median(commitsAfter.samples.map((sample) => sample.wallMs)) / median(firstCase.samples.map((sample) => sample.wallMs));
    console.log(
      `commit time on the ${name} table after expiry (${commitsAfter.before.snapshots} snapshots, metadata.json ${(commitsAfter.before.metadataBytes / 1024).toFixed(0)} KB) / 1 prior snapshot: ` +
        `median ${ratio.toFixed(2)}× (target ≤ ${targetRatio}×: ${ratio <= targetRatio ? "holds" : "DOES NOT HOLD"}); peak RSS ${commitsAfter.peakRssMb.toFixed(0)} MB`,
    );
  }
}
