// The table of a topic export, created on first need: by `enable` (so the table is there
// before any record is), or by the first commit if someone enabled the topic another way.
// Two creators racing is fine: the loser loads the winner's table.
import { randomUUID } from "node:crypto";
import type { Catalog, LoadedTable } from "../catalog/catalog.js";
import { ExportError } from "../core/errors.js";
import type { IcebergSchema } from "../iceberg/types.js";
import type { TopicExport } from "../state/state-store.js";
import { exportTableMetadata } from "./table-schema.js";

export interface ExportTableContext {
  catalog: Catalog;
  now: () => number;
}

export async function loadOrCreateExportTable(topicExport: TopicExport, schema: IcebergSchema, context: ExportTableContext): Promise<LoadedTable> {
  const existing = await context.catalog.loadTable(topicExport.table);
  if (existing !== undefined) return existing;
  const metadata = exportTableMetadata(topicExport, schema, { tableUuid: randomUUID(), nowMs: context.now() });
  try {
    return await context.catalog.createTable(topicExport.table, metadata);
  } catch (error) {
    if (!(error instanceof ExportError && error.code === "TABLE_EXISTS")) throw error;
    const created = await context.catalog.loadTable(topicExport.table);
    if (created === undefined) throw error;
    return created;
  }
}
