"""The independent Iceberg reader of the test suite: pyiceberg reads a table through the
same catalog our code writes to, and prints its schema, snapshots and rows as JSON.

  read        a table from the Glue catalog (moto) or from a metadata file (local catalog)
  write-sample  pyiceberg itself creates and appends to a table in the Glue catalog; used to
              prove the reader path, and later as the "other writer" of conflict tests

JSON conventions, so that Node can compare values exactly: binary is base64, decimals are
strings, timestamps are ISO 8601 with microseconds, and integers outside ±2^53 (snapshot
ids, large longs) are strings.
"""

import argparse
import base64
import datetime
import decimal
import json
import sys
import uuid

import pyarrow as pa
from pyiceberg.catalog import load_catalog
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


def load_table(args):
    if args.metadata_location:
        properties = aws_properties(args.endpoint) if args.endpoint else {}
        return StaticTable.from_metadata(args.metadata_location, properties)
    return glue_catalog(args.endpoint).load_table((args.database, args.table))


def json_value(value):
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
        "data-files": [
            {
                "path": task.file.file_path,
                "record-count": task.file.record_count,
                "partition": [json_value(task.file.partition[index]) for index in range(len(task.file.partition))],
            }
            for task in table.scan().plan_files()
        ],
        "rows": json_value(rows),
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)

    read = commands.add_parser("read", help="print a table's schema, snapshots and rows as JSON")
    read.add_argument("--endpoint", help="moto endpoint for Glue and S3")
    read.add_argument("--database")
    read.add_argument("--table")
    read.add_argument("--metadata-location", help="read this metadata file instead of asking Glue")

    write = commands.add_parser("write-sample", help="create (if missing) and append sample rows with pyiceberg")
    write.add_argument("--endpoint", required=True)
    write.add_argument("--database", required=True)
    write.add_argument("--table", required=True)
    write.add_argument("--location", required=True, help="s3://bucket/path of the table")
    write.add_argument("--first-id", type=int, default=0)
    write.add_argument("--count", type=int, default=3)

    args = parser.parse_args()
    if args.command == "read":
        if not args.metadata_location and not (args.endpoint and args.database and args.table):
            parser.error("read needs --metadata-location, or --endpoint, --database and --table")
        result = describe_table(load_table(args))
    else:
        result = write_sample(args)
    json.dump(result, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
