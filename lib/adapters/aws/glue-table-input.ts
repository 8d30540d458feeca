// The Glue entry of an Iceberg table (SPEC.md §4), as Iceberg-Java's GlueCatalog and pyiceberg
// write it: an EXTERNAL_TABLE whose Parameters say table_type=ICEBERG and point at the current
// metadata file. UpdateTable replaces the whole entry with the TableInput it is given, so what
// others keep in the entry (Parameters that Athena or Lake Formation set, the description, the
// owner, column comments) is carried over from the entry the commit read.
import type { Table, TableInput } from "@aws-sdk/client-glue";
import type { TableMetadata } from "../../iceberg/table-metadata.js";
import { glueColumns } from "./glue-columns.js";

export const tableTypeParameter = "table_type";
export const icebergTableType = "ICEBERG";
export const metadataLocationParameter = "metadata_location";
export const previousMetadataLocationParameter = "previous_metadata_location";

export interface GlueTableInputOptions {
  name: string;
  metadata: TableMetadata;
  metadataLocation: string;
  /** The file the table was at; absent when creating the table. */
  previousMetadataLocation?: string;
  /** The entry the commit replaces; absent when creating the table. */
  existing?: Table;
}

export function glueTableInput(options: GlueTableInputOptions): TableInput {
  const { name, metadata, metadataLocation, previousMetadataLocation, existing } = options;
  return {
    Name: name,
    TableType: "EXTERNAL_TABLE",
    ...(existing?.Description === undefined ? {} : { Description: existing.Description }),
    ...(existing?.Owner === undefined ? {} : { Owner: existing.Owner }),
    Parameters: {
      ...existing?.Parameters,
      [tableTypeParameter]: icebergTableType,
      [metadataLocationParameter]: metadataLocation,
      ...(previousMetadataLocation === undefined ? {} : { [previousMetadataLocationParameter]: previousMetadataLocation }),
    },
    StorageDescriptor: {
      Location: metadata.location,
      Columns: glueColumns(metadata, { existingComments: columnComments(existing) }),
    },
  };
}

function columnComments(existing: Table | undefined): Map<string, string> {
  const comments = new Map<string, string>();
  for (const column of existing?.StorageDescriptor?.Columns ?? []) {
    if (column.Name !== undefined && column.Comment !== undefined) comments.set(column.Name, column.Comment);
  }
  return comments;
}
