// `demo`: the README's main command. Everything on the embedded default, in one folder.
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { CommandSpec } from "../command.js";
import { integerValue, stringValue, UsageError } from "../command.js";
import { parseExportConfig } from "../../lib/config/export-config.js";
import { runDemo } from "../../lib/demo/run-demo.js";
import { createExportAdapters } from "../../lib/runtime/export-adapters.js";
import { cliLogger } from "../cli-logger.js";
import { formatDemoReport } from "../format/demo-report.js";
import { jsonValue } from "../format/table-rows.js";

const demoMarker = ".kafka-iceberg-export-demo";

export const demoCommand: CommandSpec = {
  name: "demo",
  summary: "Export sample Protobuf records into an Iceberg table on the embedded default (no Kafka, no AWS), then print what the table holds and where it is.",
  usage: "demo [--directory DIR] [--records N] [--invalid N] [--json]",
  details: [
    "The sample records (order events of a bundled schema, a few invalid payloads mixed in) go through the same ingest and commit code as the Lambda functions, as Lambda-shaped Kafka events. The table is an Iceberg table in a file catalog (metadata/vN.metadata.json and version-hint.text) that pyiceberg, DuckDB and Spark can read. A folder made by an earlier demo is replaced.",
  ],
  options: [
    { name: "directory", type: "string", valueName: "DIR", description: "Where the warehouse and state go", defaultText: "./demo-warehouse" },
    { name: "records", type: "string", valueName: "N", description: "How many sample records", defaultText: "1000" },
    { name: "invalid", type: "string", valueName: "N", description: "How many of them are invalid payloads", defaultText: "7" },
    { name: "json", type: "boolean", description: "Print the report as JSON" },
    { name: "verbose", type: "boolean", description: "Also print the export's info logs" },
  ],
  async run(command, io) {
    const records = integerValue(command, "records", "demo", 1_000, { min: 1, max: 1_000_000 });
    const invalidRecords = integerValue(command, "invalid", "demo", 7, { min: 0, max: records });
    const directory = resolve(stringValue(command, "directory") ?? "demo-warehouse");
    prepareDemoDirectory(directory);
    const warehouse = join(directory, "warehouse");
    const config = parseExportConfig({ WAREHOUSE: warehouse, CATALOG: "local", STATE_DIRECTORY: join(directory, "state") });
    const logger = cliLogger(io, { verbose: command.values["verbose"] === true });
    const adapters = createExportAdapters(config, { logger });
    const report = await runDemo({ ...adapters, warehouse, namespace: "kafka", targetFileSizeBytes: config.targetFileSizeBytes, logger }, { records, invalidRecords });
    if (command.values["json"] === true) io.out(JSON.stringify(report, jsonValue, 2));
    else for (const line of formatDemoReport(report)) io.out(line);
    return 0;
  },
};

// The demo starts from nothing each time, but never deletes a folder it did not make.
function prepareDemoDirectory(directory: string): void {
  if (existsSync(directory) && readdirSync(directory).length > 0) {
    if (!existsSync(join(directory, demoMarker))) throw new UsageError(`--directory ${directory} exists and was not made by the demo; choose another folder`, "demo");
    rmSync(directory, { recursive: true, force: true });
  }
  mkdirSync(directory, { recursive: true });
  writeFileSync(join(directory, demoMarker), "made by kafka-iceberg-export demo; removed and rebuilt by the next demo run\n");
}
