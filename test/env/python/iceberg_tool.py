"""The independent Iceberg reader of the test suite: pyiceberg reads a table through the
same catalog our code writes to, and prints its schema, snapshots and rows as JSON.

  read        a table from the Glue catalog (moto), from a metadata file, or from a table
              folder of the local (Hadoop-layout) catalog through its version-hint.text
  write-sample  pyiceberg itself creates and appends to a table in the Glue catalog; used to
              prove the reader path, and later as the "other writer" of conflict tests
  parquet     one local Parquet data file as pyarrow sees it: the arrow schema with the
              field id of every field, the rows, and every column chunk's codec and statistics
  manifests   the current snapshot's manifest list and manifest entries as pyiceberg reads
              them (sequence numbers and snapshot ids inherited), from a metadata file

JSON conventions, so that Node can compare values exactly: binary is base64, decimals are
strings, timestamps are ISO 8601 with microseconds, integers outside ±2^53 (snapshot ids,
large longs) are strings, and so are the floats NaN, Infinity and -Infinity, which JSON
cannot hold.
"""

import argparse
import base64
import datetime
import decimal
import json
import math
import sys
import uuid

import pyarrow as pa
import pyarrow.parquet as pq
from pyiceberg.catalog import load_catalog
from pyiceberg.conversions import from_bytes
from pyiceberg.schema import Schema
from pyiceberg.table import StaticTable
from pyiceberg.types import (
    BinaryType,
    DoubleType,
    ListType,
    LongType,
    NestedField,
    StringType,
    StructType,
    TimestamptzType,
    UUIDType,
)

JS_SAFE_INTEGER = 2**53 - 1
AWS_TEST_CREDENTIALS = {"access-key-id": "testing", "secret-access-key": "testing", "region": "us-east-1"}


def aws_properties(endpoint: str) -> dict:
    properties = {}
    for service in ("glue", "s3"):
        properties[f"{service}.endpoint"] = endpoint
        for key, value in AWS_TEST_CREDENTIALS.items():
            properties[f"{service}.{key}"] = value
    return properties


def glue_catalog(endpoint: str):
    return load_catalog("glue", type="glue", **aws_properties(endpoint))


def rest_catalog(uri: str, endpoint: str):
    """An Iceberg REST catalog whose tables are on moto's S3 (or the local disk)."""
    s3 = {f"s3.{key}": value for key, value in AWS_TEST_CREDENTIALS.items()}
    return load_catalog("rest", type="rest", uri=uri, **{"s3.endpoint": endpoint, **s3})


def catalog_of(args):
    """The REST catalog at --rest-uri, else Glue on moto."""
    if getattr(args, "rest_uri", None):
        return rest_catalog(args.rest_uri, args.endpoint)
    return glue_catalog(args.endpoint)


def load_table(args):
    if getattr(args, "table_location", None):
        # Not a .metadata.json: pyiceberg reads metadata/version-hint.text as Hadoop-catalog
        # readers do and opens metadata/v<N>.metadata.json.
        return StaticTable.from_metadata(args.table_location)
    if args.metadata_location:
        properties = aws_properties(args.endpoint) if args.endpoint else {}
        return StaticTable.from_metadata(args.metadata_location, properties)
    return catalog_of(args).load_table((args.database, args.table))


def json_value(value):
    if isinstance(value, float) and not math.isfinite(value):
        return "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")
    if isinstance(value, bool) or value is None or isinstance(value, (float, str)):
        return value
    if isinstance(value, int):
        return value if abs(value) <= JS_SAFE_INTEGER else str(value)
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, datetime.datetime):
        return value.isoformat(timespec="microseconds")
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, dict):
        return {key: json_value(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_value(item) for item in value]
    raise TypeError(f"no JSON form for {type(value).__name__}")


def describe_type(iceberg_type):
    if isinstance(iceberg_type, StructType):
        return {"type": "struct", "fields": [describe_field(field) for field in iceberg_type.fields]}
    if isinstance(iceberg_type, ListType):
        return {
            "type": "list",
            "element-id": iceberg_type.element_id,
            "element-required": iceberg_type.element_required,
            "element": describe_type(iceberg_type.element_type),
        }
    if iceberg_type.is_primitive:
        return str(iceberg_type)
    # Maps: key and value ids, as the spec's JSON form has them.
    return {
        "type": "map",
        "key-id": iceberg_type.key_id,
        "key": describe_type(iceberg_type.key_type),
        "value-id": iceberg_type.value_id,
        "value-required": iceberg_type.value_required,
        "value": describe_type(iceberg_type.value_type),
    }


def describe_field(field: NestedField):
    return {"id": field.field_id, "name": field.name, "required": field.required, "type": describe_type(field.field_type)}


def describe_table(table) -> dict:
    metadata = table.metadata
    rows = table.scan().to_arrow().to_pylist()
    return {
        "format-version": metadata.format_version,
        "metadata-location": table.metadata_location,
        "location": metadata.location,
        "properties": dict(metadata.properties),
        "current-schema-id": metadata.current_schema_id,
        "schemas": [{"schema-id": schema.schema_id, "fields": [describe_field(field) for field in schema.fields]} for schema in metadata.schemas],
        "partition-spec": [
            {"source-id": field.source_id, "field-id": field.field_id, "name": field.name, "transform": str(field.transform)}
            for field in metadata.spec().fields
        ],
        "current-snapshot-id": json_value(metadata.current_snapshot_id),
        "snapshots": [
            {
                "snapshot-id": json_value(snapshot.snapshot_id),
                "parent-snapshot-id": json_value(snapshot.parent_snapshot_id),
                "sequence-number": snapshot.sequence_number,
                "summary": {key: value for key, value in snapshot.summary.additional_properties.items()}
                | {"operation": str(snapshot.summary.operation.value)},
            }
            for snapshot in metadata.snapshots
        ],
        "data-files": [describe_data_file(task.file, table.schema()) for task in table.scan().plan_files()],
        "rows": json_value(rows),
    }


def describe_data_file(data_file, schema: Schema) -> dict:
    """A data file of the current snapshot with its column statistics, the bounds decoded to
    values of the column's type (timestamps as microseconds, as Iceberg stores them)."""

    def decoded(bounds):
        values = {}
        for field_id, raw in (bounds or {}).items():
            try:
                field_type = schema.find_type(field_id)
            except ValueError:
                continue  # a column no longer in the current schema
            value = from_bytes(field_type, raw)
            if isinstance(field_type, UUIDType) and isinstance(value, bytes):
                value = uuid.UUID(bytes=value)
            values[str(field_id)] = json_value(value)
        return values

    return {
        "path": data_file.file_path,
        "record-count": data_file.record_count,
        "partition": [json_value(data_file.partition[index]) for index in range(len(data_file.partition))],
        "value-counts": {str(key): value for key, value in (data_file.value_counts or {}).items()},
        "null-value-counts": {str(key): value for key, value in (data_file.null_value_counts or {}).items()},
        "nan-value-counts": {str(key): value for key, value in (data_file.nan_value_counts or {}).items()},
        "lower-bounds": decoded(data_file.lower_bounds),
        "upper-bounds": decoded(data_file.upper_bounds),
    }


def describe_arrow_field(field: pa.Field) -> dict:
    metadata = field.metadata or {}
    field_id = metadata.get(b"PARQUET:field_id")
    described = {
        "name": field.name,
        "field-id": int(field_id) if field_id is not None else None,
        "nullable": field.nullable,
        "type": str(field.type),
    }
    arrow_type = field.type
    if pa.types.is_struct(arrow_type):
        described["children"] = [describe_arrow_field(arrow_type.field(index)) for index in range(arrow_type.num_fields)]
    elif pa.types.is_map(arrow_type):
        described["children"] = [describe_arrow_field(arrow_type.key_field), describe_arrow_field(arrow_type.item_field)]
    elif pa.types.is_list(arrow_type) or pa.types.is_large_list(arrow_type):
        described["children"] = [describe_arrow_field(arrow_type.value_field)]
    return described


def describe_statistics(statistics) -> dict | None:
    if statistics is None:
        return None
    return {
        "has-min-max": statistics.has_min_max,
        "min": json_value(statistics.min) if statistics.has_min_max else None,
        "max": json_value(statistics.max) if statistics.has_min_max else None,
        "null-count": statistics.null_count if statistics.has_null_count else None,
        # Non-null values, where the chunk's own num-values counts every slot.
        "num-values": statistics.num_values,
    }


def describe_parquet_file(path: str) -> dict:
    parquet_file = pq.ParquetFile(path)
    metadata = parquet_file.metadata
    chunks = []
    for group_index in range(metadata.num_row_groups):
        row_group = metadata.row_group(group_index)
        for column_index in range(row_group.num_columns):
            column = row_group.column(column_index)
            chunks.append(
                {
                    "row-group": group_index,
                    "path": column.path_in_schema,
                    "physical-type": column.physical_type,
                    "codec": column.compression,
                    "num-values": column.num_values,
                    "total-compressed-size": column.total_compressed_size,
                    "statistics": describe_statistics(column.statistics) if column.is_stats_set else None,
                }
            )
    return {
        "created-by": metadata.created_by,
        "num-rows": metadata.num_rows,
        "num-row-groups": metadata.num_row_groups,
        "schema": [describe_arrow_field(field) for field in parquet_file.schema_arrow],
        "column-chunks": chunks,
        "rows": json_value(parquet_file.read().to_pylist()),
    }


SAMPLE_SCHEMA = Schema(
    NestedField(1, "id", LongType(), required=False),
    NestedField(2, "name", StringType(), required=False),
    NestedField(3, "score", DoubleType(), required=False),
    NestedField(4, "payload", BinaryType(), required=False),
    NestedField(5, "at", TimestamptzType(), required=False),
    NestedField(6, "tags", ListType(7, StringType(), element_required=False), required=False),
)


def sample_rows(first_id: int, count: int) -> pa.Table:
    arrow_schema = SAMPLE_SCHEMA.as_arrow()
    base = datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc)
    rows = [
        {
            "id": first_id + offset,
            "name": f"row-{first_id + offset}",
            "score": (first_id + offset) / 4,
            "payload": bytes([offset % 256, 0, 255]),
            "at": base + datetime.timedelta(microseconds=first_id + offset),
            "tags": ["a", f"t{offset}"] if offset % 2 == 0 else [],
        }
        for offset in range(count)
    ]
    return pa.Table.from_pylist(rows, schema=arrow_schema)


def write_sample(args) -> dict:
    catalog = glue_catalog(args.endpoint)
    catalog.create_namespace_if_not_exists(args.database)
    identifier = (args.database, args.table)
    if catalog.table_exists(identifier):
        table = catalog.load_table(identifier)
    else:
        table = catalog.create_table(identifier, schema=SAMPLE_SCHEMA, location=args.location)
    table.append(sample_rows(args.first_id, args.count))
    return {"metadata-location": catalog.load_table(identifier).metadata_location}


def append_rows(args) -> dict:
    """pyiceberg appends rows to an existing table, as another writer would: the rows are given
    as JSON objects with the table's column names; absent columns are null, timestamps are
    ISO 8601 strings."""
    table = catalog_of(args).load_table((args.database, args.table))
    arrow_schema = table.schema().as_arrow()
    rows = json.loads(args.rows)
    for row in rows:
        for name, value in list(row.items()):
            if isinstance(value, str) and pa.types.is_timestamp(arrow_schema.field(name).type):
                row[name] = datetime.datetime.fromisoformat(value)
    table.append(pa.Table.from_pylist(rows, schema=arrow_schema))
    return {"metadata-location": table.metadata_location}


def describe_manifest_entry(entry) -> dict:
    data_file = entry.data_file
    return {
        "status": entry.status.name,
        "snapshot-id": json_value(entry.snapshot_id),
        "sequence-number": entry.sequence_number,
        "file-sequence-number": entry.file_sequence_number,
        "file-path": data_file.file_path,
        "file-format": data_file.file_format.name,
        "partition": [json_value(data_file.partition[index]) for index in range(len(data_file.partition))],
        "record-count": data_file.record_count,
        "file-size-in-bytes": data_file.file_size_in_bytes,
        "value-counts": {str(key): value for key, value in (data_file.value_counts or {}).items()},
        "null-value-counts": {str(key): value for key, value in (data_file.null_value_counts or {}).items()},
        "lower-bounds": {str(key): json_value(value) for key, value in (data_file.lower_bounds or {}).items()},
        "upper-bounds": {str(key): json_value(value) for key, value in (data_file.upper_bounds or {}).items()},
    }


def describe_manifests(table) -> dict:
    snapshot = table.current_snapshot()
    manifests = snapshot.manifests(table.io) if snapshot is not None else []
    return {
        "manifest-list": snapshot.manifest_list if snapshot is not None else None,
        "manifests": [
            {
                "path": manifest.manifest_path,
                "length": manifest.manifest_length,
                "partition-spec-id": manifest.partition_spec_id,
                "content": manifest.content.name,
                "sequence-number": manifest.sequence_number,
                "min-sequence-number": manifest.min_sequence_number,
                "added-snapshot-id": json_value(manifest.added_snapshot_id),
                "added-files-count": manifest.added_files_count,
                "existing-files-count": manifest.existing_files_count,
                "deleted-files-count": manifest.deleted_files_count,
                "added-rows-count": manifest.added_rows_count,
                "existing-rows-count": manifest.existing_rows_count,
                "deleted-rows-count": manifest.deleted_rows_count,
                "partitions": [
                    {
                        "contains-null": summary.contains_null,
                        "contains-nan": summary.contains_nan,
                        "lower-bound": json_value(summary.lower_bound),
                        "upper-bound": json_value(summary.upper_bound),
                    }
                    for summary in (manifest.partitions or [])
                ],
                "entries": [describe_manifest_entry(entry) for entry in manifest.fetch_manifest_entry(table.io, discard_deleted=False)],
            }
            for manifest in manifests
        ],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)

    read = commands.add_parser("read", help="print a table's schema, snapshots and rows as JSON")
    read.add_argument("--endpoint", help="moto endpoint for Glue and S3")
    read.add_argument("--rest-uri", help="read through this Iceberg REST catalog instead of Glue (--database is the namespace)")
    read.add_argument("--database")
    read.add_argument("--table")
    read.add_argument("--metadata-location", help="read this metadata file instead of asking Glue")
    read.add_argument("--table-location", help="read the local catalog's table in this folder, through its version hint")

    write = commands.add_parser("write-sample", help="create (if missing) and append sample rows with pyiceberg")
    write.add_argument("--endpoint", required=True)
    write.add_argument("--database", required=True)
    write.add_argument("--table", required=True)
    write.add_argument("--location", required=True, help="s3://bucket/path of the table")
    write.add_argument("--first-id", type=int, default=0)
    write.add_argument("--count", type=int, default=3)

    append = commands.add_parser("append-rows", help="append rows to an existing Glue table with pyiceberg")
    append.add_argument("--endpoint", required=True)
    append.add_argument("--database", required=True)
    append.add_argument("--table", required=True)
    append.add_argument("--rows", required=True, help="a JSON list of row objects")
    append.add_argument("--rest-uri", help="append through this Iceberg REST catalog instead of Glue")

    parquet = commands.add_parser("parquet", help="print a local Parquet file's schema, rows and column chunks as JSON")
    parquet.add_argument("path", help="path of the Parquet file")

    manifests = commands.add_parser("manifests", help="print the current snapshot's manifests and their entries as JSON")
    manifests.add_argument("--metadata-location", required=True)
    manifests.add_argument("--endpoint", help="moto endpoint for S3, when the table is there")

    args = parser.parse_args()
    if args.command == "manifests":
        result = describe_manifests(load_table(args))
    elif args.command == "append-rows":
        result = append_rows(args)
    elif args.command == "parquet":
        result = describe_parquet_file(args.path)
    elif args.command == "read":
        if not args.metadata_location and not args.table_location and not (args.endpoint and args.database and args.table):
            parser.error("read needs --table-location, --metadata-location, or --endpoint, --database and --table")
        result = describe_table(load_table(args))
    else:
        result = write_sample(args)
    json.dump(result, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
