// Glue's StorageDescriptor.Columns for an Iceberg table, filled as Iceberg-Java's GlueCatalog
// and pyiceberg fill them. Engines read the schema from the metadata file; these columns are
// for what reads Glue only: the Glue and Athena consoles, Lake Formation column permissions.
// The current schema's columns come first; columns of older schemas that the current one no
// longer has follow with iceberg.field.current=false, so a dropped column stays visible.
import type { Column } from "@aws-sdk/client-glue";
import type { TableMetadata } from "../../iceberg/table-metadata.js";
import { hiveTypeString } from "../../catalog/hive-type-string.js";
import type { NestedField } from "../../iceberg/types.js";

/** Glue refuses a column comment longer than this. */
const maxCommentLength = 255;

export interface GlueColumnsOptions {
  /** Comments of the Glue table's columns, kept where the Iceberg field has no doc (someone may have set them in Glue). */
  existingComments?: ReadonlyMap<string, string>;
}

export function glueColumns(metadata: TableMetadata, options: GlueColumnsOptions = {}): Column[] {
  const { existingComments = new Map<string, string>() } = options;
  const currentSchemaId = metadata["current-schema-id"];
  const columns = new Map<string, Column>();
  function addColumns(fields: NestedField[], isCurrent: boolean): void {
    for (const field of fields) {
      if (!columns.has(field.name)) columns.set(field.name, glueColumn(field, isCurrent, existingComments.get(field.name)));
    }
  }
  for (const schema of metadata.schemas) if (schema["schema-id"] === currentSchemaId) addColumns(schema.fields, true);
  for (const schema of metadata.schemas) if (schema["schema-id"] !== currentSchemaId) addColumns(schema.fields, false);
  return [...columns.values()];
}

function glueColumn(field: NestedField, isCurrent: boolean, existingComment: string | undefined): Column {
  const comment = field.doc !== undefined && field.doc !== "" ? field.doc : existingComment;
  return {
    Name: field.name,
    Type: hiveTypeString(field.type),
    ...(comment === undefined ? {} : { Comment: comment.slice(0, maxCommentLength) }),
    Parameters: {
      "iceberg.field.id": String(field.id),
      "iceberg.field.optional": String(!field.required),
      "iceberg.field.current": String(isCurrent),
    },
  };
}
