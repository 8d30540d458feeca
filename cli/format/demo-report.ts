// What `demo` prints: what went in, what the table now holds, and how to read it elsewhere.
import type { DemoReport, DemoWarning } from "../../lib/demo/run-demo.js";
import { jsonValue, rowLegend, rowLine } from "./table-rows.js";
import { textTable } from "./text-table.js";

export function formatDemoReport(report: DemoReport): string[] {
  const { produced, ingested, table, topicExport } = report;
  const identifier = `${topicExport.table.namespace}.${topicExport.table.name}`;
  const lines = [
    "kafka-iceberg-export demo: the embedded default (a local warehouse folder, a file catalog, local state; no Kafka, no AWS)",
    "",
    `produced   ${produced.records} sample order events to topic ${report.topic} (${produced.partitions} partitions), ${produced.invalid} of them not valid Protobuf`,
    `ingested   ${produced.events} Lambda-shaped Kafka events: ${ingested.recordsExported} records exported, ${ingested.invalidRecords} invalid records skipped and counted`,
    ...report.warnings.map((warning) => `           warning: ${warningText(warning)}`),
    `           one event delivered twice: its ${report.redelivered} records were skipped as already staged`,
    `committed  ${report.snapshotsCommitted} snapshot(s)`,
    "",
    `table      ${identifier}`,
    `location   ${table.location}`,
    `metadata   ${table.metadataLocation}`,
    `rows       ${table.totalRecords} in ${table.dataFiles.length} data file(s)`,
    "",
    "snapshots",
    ...textTable([
      ["snapshot id", "committed at", "added rows", "total rows"],
      ...table.snapshots.map((snapshot) => [snapshot.snapshotId.toString(), snapshot.committedAt, String(snapshot.addedRecords), String(snapshot.totalRecords)]),
    ]).map((line) => `  ${line}`),
    "",
    `first ${table.rows.length} rows (${rowLegend})`,
    ...table.rows.map((row) => `  ${rowLine(row, table.schema)}`),
    "",
    "read it with pyiceberg:",
    `  python3 -c "from pyiceberg.table import StaticTable; print(StaticTable.from_metadata('${table.metadataLocation}').scan().to_arrow().num_rows)"`,
    "or DuckDB (iceberg extension):",
    `  SELECT count(*) FROM iceberg_scan('${table.metadataLocation}');`,
  ];
  return lines;
}

// "skipped a record that cannot be decoded: topic demo.orders, partition 1, offset 30, reason …"
function warningText(warning: DemoWarning): string {
  const attributes = Object.entries(warning.attributes ?? {}).map(([name, value]) => `${name} ${typeof value === "string" ? value : JSON.stringify(value, jsonValue)}`);
  return attributes.length === 0 ? warning.message : `${warning.message}: ${attributes.join(", ")}`;
}
