// `drop-missing-staged`: the way past a commit that fails because staged data files are gone
// (SPEC.md §2.5): their entries leave staging and the lost offset ranges are recorded in the
// table property kafka-iceberg-export.lost-ranges, visible to anyone reading the table.
import type { CommandSpec } from "../command.js";
import { requiredString } from "../command.js";
import { openControlRuntime } from "../control-runtime.js";
import { exportOptions } from "../options.js";

export const dropMissingStagedCommand: CommandSpec = {
  name: "drop-missing-staged",
  summary: "Drop staged entries whose data files no longer exist, so the table commits again; the lost offset ranges are recorded in the table (property kafka-iceberg-export.lost-ranges).",
  usage: "drop-missing-staged --table NAME [options]",
  options: [{ name: "table", type: "string", valueName: "NAME", description: "The table (NAME or NAMESPACE.NAME)" }, ...exportOptions],
  async run(command, io) {
    const runtime = openControlRuntime(command, io, { kafka: "none" });
    const outcome = await runtime.dropMissingStaged(requiredString(command, "table", "drop-missing-staged"));
    if (outcome.dropped.length === 0) io.out(`${outcome.table}: every staged file exists; nothing dropped`);
    for (const range of outcome.dropped) {
      io.out(`${outcome.table}: dropped ${range.topic}-${range.partition} offsets ${range["first-offset"]}-${range["last-offset"]} (${range.records} records lost, ${range.file})`);
    }
    return 0;
  },
};
