// Amazon S3 Tables through its Iceberg REST endpoint: the warehouse is the table bucket's ARN.
// The service maintains its tables itself (compaction, snapshot expiry, unreferenced file
// removal) and chooses every table's location.

/** An S3 Tables table bucket's ARN as the REST catalog's warehouse: the catalog is S3 Tables. */
export function isS3TablesWarehouse(warehouse: string | undefined): boolean {
  return warehouse?.startsWith("arn:aws:s3tables:") === true;
}
