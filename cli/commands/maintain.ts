// `maintain`: one maintenance pass (SPEC.md §8) over every exported table, or one.
import { parseMaintenanceConfig } from "../../lib/config/maintenance-config.js";
import type { CommandSpec } from "../command.js";
import { stringValue } from "../command.js";
import type { CompactionOutcome } from "../../lib/maintenance/compact-table.js";
import { openControlRuntime } from "../control-runtime.js";
import { exportOptions, maintenanceOptions } from "../options.js";

export const maintainCommand: CommandSpec = {
  name: "maintain",
  summary: "Run one maintenance pass: compact small data files as replace snapshots, expire snapshots past the table's retention (history.expire.* properties, else the defaults below), delete the files only they reached, and remove orphan files.",
  usage: "maintain [--table NAME] [options]",
  details: [
    "Compaction rewrites the small files of a partition no longer written to, and of the one being written once it holds enough of them; the files it replaces stay until snapshot expiry deletes them.",
    "Tables this export creates keep a day of snapshots and at least ten; a table property set by any engine wins. Files a staged entry names are never deleted.",
    "Orphans are files under the table location that no snapshot, metadata file or staged entry references, older than --older-than.",
  ],
  options: [{ name: "table", type: "string", valueName: "NAME", description: "Only this table (NAME or NAMESPACE.NAME)" }, ...exportOptions, ...maintenanceOptions],
  async run(command, io) {
    const runtime = openControlRuntime(command, io, { kafka: "none" });
    const outcome = await runtime.maintainTables(parseMaintenanceConfig(runtime.settings), stringValue(command, "table"));
    for (const table of outcome.tables) {
      const compaction = table.compaction;
      io.out(`${table.table}: ${compaction === undefined ? "compaction is switched off" : compactionLine(compaction)}`);
      const expiry = table.expiry;
      if (expiry === undefined) io.out(`${table.table}: snapshot expiry is switched off`);
      else if (expiry.snapshotsExpired === 0) io.out(`${table.table}: no snapshot to expire`);
      else {
        const { dataFiles, manifests, manifestLists } = expiry.deleted;
        io.out(`${table.table}: expired ${expiry.snapshotsExpired} snapshot(s); deleted ${dataFiles.length} data file(s), ${manifests.length} manifest(s), ${manifestLists.length} manifest list(s) (${expiry.bytesDeleted} bytes)`);
      }
      if (table.orphans !== undefined) io.out(`${table.table}: removed ${table.orphans.removed.length} orphan file(s) (${table.orphans.bytesRemoved} bytes)`);
    }
    for (const failure of outcome.failures) io.err(`error: ${failure.table}: ${failure.error instanceof Error ? failure.error.message : String(failure.error)}`);
    return outcome.failures.length > 0 ? 1 : 0;
  },
};

function compactionLine(compaction: CompactionOutcome): string {
  const dropped = compaction.groupsDropped === 0 ? "" : `; ${compaction.groupsDropped} group(s) dropped, their files changed meanwhile`;
  if (compaction.filesReplaced === 0) return `no small files to compact${dropped}`;
  return `compacted ${compaction.filesReplaced} small file(s) into ${compaction.filesWritten} (${compaction.bytesReplaced} -> ${compaction.bytesWritten} bytes)${dropped}`;
}
