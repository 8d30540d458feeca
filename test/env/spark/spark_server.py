"""Iceberg's Java implementation for the test suite: one Spark session in local mode (pyspark
from PyPI, Iceberg's Spark runtime and AWS bundle jars from Maven Central), started once per
test run and answering JSON requests over HTTP on 127.0.0.1.

  POST /read  {"table": ADDRESS}               what Java sees of a table: schemas with field
              ids, snapshots, the current snapshot's data files with their statistics as
              Java decodes them, and the rows Spark reads
  POST /append {"table": ADDRESS, "rows": [ROW, ...]}  Spark appends the rows, JSON objects
              with the table's column names, as one snapshot
  POST /sql   {"table": ADDRESS, "statements": [SQL, ...]}   runs each statement (an INSERT,
              a CALL of an Iceberg procedure) with {table} replaced by the table's Spark name,
              {catalog} by its catalog and {identifier} by "namespace.name"; returns the rows
              of the last one

ADDRESS is {"catalog": "local", "tableLocation"} (Hadoop catalog: <warehouse>/<ns>/<table>,
read through metadata/version-hint.text), {"catalog": "glue", "endpoint", "database",
"table"} (Glue and S3 on moto), or {"catalog": "metadata-file", "metadataLocation"} (a local
metadata file, read only). Values follow the JSON conventions of iceberg_tool.py.

Prints {"ready": true, "port": N} once it listens.
"""

import argparse
import base64
import datetime
import decimal
import hashlib
import json
import math
import os
import sys
import threading
import time
import traceback
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from pyspark.sql import SparkSession
from pyspark.sql import types as T

JS_SAFE_INTEGER = 2**53 - 1


def json_value(value):
    """The JSON conventions of iceberg_tool.py, so that both readers' output compares exactly."""
    if isinstance(value, float) and not math.isfinite(value):
        return "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")
    if isinstance(value, bool) or value is None or isinstance(value, (float, str)):
        return value
    if isinstance(value, int):
        return value if abs(value) <= JS_SAFE_INTEGER else str(value)
    if isinstance(value, (bytes, bytearray)):
        return base64.b64encode(bytes(value)).decode("ascii")
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


def spark_value(value, data_type):
    """A collected Spark value in the shape pyarrow's to_pylist gives pyiceberg's rows."""
    if value is None:
        return None
    if isinstance(data_type, T.StructType):
        return {field.name: spark_value(value[field.name], field.dataType) for field in data_type.fields}
    if isinstance(data_type, T.ArrayType):
        return [spark_value(item, data_type.elementType) for item in value]
    if isinstance(data_type, T.MapType):
        return [[spark_value(key, data_type.keyType), spark_value(item, data_type.valueType)] for key, item in value.items()]
    if isinstance(data_type, T.TimestampType):
        # The process runs in UTC (TZ and the session time zone), so the naive value is UTC.
        return value.replace(tzinfo=datetime.timezone.utc)
    return value


class Engine:
    def __init__(self, jars: list[str], work_dir: str):
        builder = (
            SparkSession.builder.master("local[1]")
            .appName("kafka-iceberg-export-tests")
            .config("spark.jars", ",".join(jars))
            .config("spark.sql.extensions", "org.apache.iceberg.spark.extensions.IcebergSparkSessionExtensions")
            .config("spark.driver.memory", "768m")
            .config("spark.driver.bindAddress", "127.0.0.1")
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.ui.enabled", "false")
            .config("spark.sql.shuffle.partitions", "2")
            .config("spark.default.parallelism", "2")
            .config("spark.sql.session.timeZone", "UTC")
            .config("spark.local.dir", os.path.join(work_dir, "spark-local"))
            .config("spark.sql.warehouse.dir", os.path.join(work_dir, "spark-warehouse"))
            # Iceberg's remove_orphan_files refuses an age under 24 hours outside Spark's own
            # tests; the suite's tables are minutes old and nothing else writes them meanwhile.
            .config("spark.testing", "true")
            # Where Iceberg's Spark source opens a metadata file given by its path.
            .config("spark.sql.catalog.default_iceberg", "org.apache.iceberg.spark.SparkCatalog")
            .config("spark.sql.catalog.default_iceberg.type", "hadoop")
            .config("spark.sql.catalog.default_iceberg.warehouse", os.path.join(work_dir, "default-iceberg"))
            .config("spark.sql.catalog.default_iceberg.cache-enabled", "false")
            .config("spark.driver.extraJavaOptions", "-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Duser.timezone=UTC")
        )
        self.spark = builder.getOrCreate()
        self.spark.sparkContext.setLogLevel("ERROR")
        self.jvm = self.spark.sparkContext._jvm
        self.catalogs: set[str] = set()
        self.lock = threading.Lock()
        # Seconds spent per request path, for the suite's report of what Java adds.
        self.busy: dict[str, list[float]] = {}

    def activate(self) -> None:
        """Each request runs on a JVM thread of its own, where Spark finds its configuration (and
        so its catalogs) only through the thread's active session."""
        self.jvm.org.apache.spark.sql.SparkSession.setActiveSession(self.spark._jsparkSession)

    def catalog_for(self, address: dict) -> tuple[str, str]:
        """Registers (once) the Spark catalog that reaches the address; returns it and "ns.name"."""
        kind = address["catalog"]
        if kind == "local":
            location = address["tableLocation"].rstrip("/")
            namespace_dir, name = os.path.split(location)
            warehouse, namespace = os.path.split(namespace_dir)
            properties = {"type": "hadoop", "warehouse": warehouse}
            identifier = f"{namespace}.{name}"
        elif kind == "glue":
            endpoint = address["endpoint"]
            properties = {
                "catalog-impl": "org.apache.iceberg.aws.glue.GlueCatalog",
                "io-impl": "org.apache.iceberg.aws.s3.S3FileIO",
                "glue.endpoint": endpoint,
                "s3.endpoint": endpoint,
                "s3.path-style-access": "true",
                "s3.access-key-id": "testing",
                "s3.secret-access-key": "testing",
                "client.region": "us-east-1",
                "warehouse": "s3://spark-tests-unused-warehouse/",
            }
            identifier = f"{address['database']}.{address['table']}"
        elif kind == "rest":
            endpoint = address["endpoint"]
            properties = {
                "type": "rest",
                "uri": address["uri"],
                # s3:// tables through S3FileIO on moto, folder tables through Hadoop's local file system.
                "io-impl": "org.apache.iceberg.io.ResolvingFileIO",
                "s3.endpoint": endpoint,
                "s3.path-style-access": "true",
                "s3.access-key-id": "testing",
                "s3.secret-access-key": "testing",
                "client.region": "us-east-1",
            }
            identifier = f"{address['database']}.{address['table']}"
        else:
            raise ValueError(f"Spark cannot address a table by {kind!r}")
        # No caching: the tests commit to the same tables from outside between requests.
        properties["cache-enabled"] = "false"
        name = "c" + hashlib.sha256(json.dumps(properties, sort_keys=True).encode()).hexdigest()[:12]
        if name not in self.catalogs:
            self.spark.conf.set(f"spark.sql.catalog.{name}", "org.apache.iceberg.spark.SparkCatalog")
            for key, value in properties.items():
                self.spark.conf.set(f"spark.sql.catalog.{name}.{key}", value)
            # Loaded now: Spark3Util resolves only catalogs that Spark has loaded before.
            self.spark._jsparkSession.sessionState().catalogManager().catalog(name)
            self.catalogs.add(name)
        return name, identifier

    def load(self, address: dict):
        """The Java table and a DataFrame of its rows."""
        if address["catalog"] == "metadata-file":
            location = address["metadataLocation"]
            table = self.jvm.org.apache.iceberg.hadoop.HadoopTables(self.spark.sparkContext._jsc.hadoopConfiguration()).load(location)
            return table, self.spark.read.format("iceberg").load(location)
        catalog, identifier = self.catalog_for(address)
        table = self.jvm.org.apache.iceberg.spark.Spark3Util.loadIcebergTable(self.spark._jsparkSession, f"{catalog}.{identifier}")
        return table, self.spark.table(f"{catalog}.{identifier}")

    def read(self, address: dict) -> dict:
        table, frame = self.load(address)
        schema_json = self.jvm.org.apache.iceberg.SchemaParser
        schemas = [json.loads(schema_json.toJson(schema)) for schema in table.schemas().values()]
        current = table.currentSnapshot()
        rows = [spark_value(row, frame.schema) for row in frame.collect()]
        return {
            "format-version": int(table.operations().current().formatVersion()),
            "location": table.location(),
            "current-schema-id": int(table.schema().schemaId()),
            "schemas": [{"schema-id": schema.get("schema-id", 0), "fields": schema["fields"]} for schema in schemas],
            "current-snapshot-id": json_value(current.snapshotId()) if current is not None else None,
            "snapshots": [describe_snapshot(snapshot) for snapshot in iterate(table.snapshots())],
            "data-files": self.data_files(table),
            "rows": json_value(rows),
        }

    def data_files(self, table) -> list[dict]:
        conversions = self.jvm.org.apache.iceberg.types.Conversions
        schema = table.schema()
        files = []
        tasks = table.newScan().includeColumnStats().planFiles()
        try:
            for task in iterate(tasks):
                data_file = task.file()

                def bounds(java_map):
                    decoded = {}
                    for field_id, buffer in dict(java_map or {}).items():
                        field_type = schema.findType(int(field_id))
                        if field_type is None:
                            continue
                        decoded[str(field_id)] = self.java_value(conversions.fromByteBuffer(field_type, buffer), field_type)
                    return decoded

                files.append(
                    {
                        "path": data_file.location(),
                        "record-count": int(data_file.recordCount()),
                        "value-counts": counts(data_file.valueCounts()),
                        "null-value-counts": counts(data_file.nullValueCounts()),
                        "nan-value-counts": counts(data_file.nanValueCounts()),
                        "lower-bounds": bounds(data_file.lowerBounds()),
                        "upper-bounds": bounds(data_file.upperBounds()),
                    }
                )
        finally:
            tasks.close()
        return files

    def java_value(self, value, field_type):
        """A value as Conversions.fromByteBuffer decodes it, in iceberg_tool.py's JSON form."""
        type_id = str(field_type.typeId().toString())
        if value is None:
            return None
        if type_id in ("BINARY", "FIXED"):
            return json_value(bytes(self.jvm.org.apache.iceberg.util.ByteBuffers.toByteArray(value)))
        if type_id in ("STRING", "DECIMAL", "UUID"):
            return str(value.toString())
        return json_value(value)

    def append(self, address: dict, rows: list[dict]) -> dict:
        """Spark appends rows given as JSON objects with the table's column names (absent ones
        null; timestamps ISO 8601, binary base64): one Iceberg append snapshot."""
        catalog, identifier = self.catalog_for(address)
        name = f"{catalog}.{identifier}"
        schema = self.spark.table(name).schema
        lines = self.spark.sparkContext.parallelize([json.dumps(row) for row in rows], 1)
        self.spark.read.schema(schema).option("mode", "FAILFAST").json(lines).writeTo(name).append()
        return {"appended": len(rows)}

    def sql(self, address: dict, statements: list[str]) -> list:
        catalog, identifier = self.catalog_for(address)
        rows = []
        for statement in statements:
            text = statement.replace("{table}", f"{catalog}.{identifier}").replace("{catalog}", catalog).replace("{identifier}", identifier)
            frame = self.spark.sql(text)
            rows = [json_value(row.asDict(recursive=True)) for row in frame.collect()]
        return rows


def counts(java_map) -> dict:
    return {str(key): int(value) for key, value in dict(java_map or {}).items()}


def iterate(java_iterable):
    iterator = java_iterable.iterator()
    while iterator.hasNext():
        yield iterator.next()


def describe_snapshot(snapshot) -> dict:
    parent = snapshot.parentId()
    return {
        "snapshot-id": json_value(int(snapshot.snapshotId())),
        "parent-snapshot-id": json_value(int(parent)) if parent is not None else None,
        "sequence-number": int(snapshot.sequenceNumber()),
        "summary": {str(key): str(value) for key, value in dict(snapshot.summary()).items()} | {"operation": str(snapshot.operation())},
    }


def serve(engine: Engine, host: str, port: int) -> None:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (http.server's naming)
            if self.path == "/stats":
                self.respond(200, {"result": {path: {"requests": len(times), "seconds": round(sum(times), 1)} for path, times in engine.busy.items()}})
            else:
                self.respond(404, {"error": f"no such request: {self.path}"})

        def do_POST(self):  # noqa: N802 (http.server's naming)
            try:
                request = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                with engine.lock:
                    started = time.monotonic()
                    engine.activate()
                    if self.path == "/read":
                        result = engine.read(request["table"])
                    elif self.path == "/append":
                        result = engine.append(request["table"], request["rows"])
                    elif self.path == "/sql":
                        result = engine.sql(request["table"], request["statements"])
                    else:
                        raise ValueError(f"no such request: {self.path}")
                    engine.busy.setdefault(self.path, []).append(time.monotonic() - started)
                self.respond(200, {"result": result})
            except Exception as error:  # noqa: BLE001 (every failure goes back to the test)
                self.respond(500, {"error": f"{type(error).__name__}: {error}", "trace": traceback.format_exc()[-6000:]})

        def respond(self, status: int, body: dict) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format, *args):  # noqa: A002 (quiet: the tests read the log only on failure)
            pass

    server = ThreadingHTTPServer((host, port), Handler)
    print(json.dumps({"ready": True, "port": server.server_address[1]}), flush=True)
    server.serve_forever()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--jars", required=True, help="comma-separated jars: Iceberg's Spark runtime and AWS bundle")
    parser.add_argument("--work-dir", required=True)
    args = parser.parse_args()
    serve(Engine(args.jars.split(","), args.work_dir), args.host, args.port)


if __name__ == "__main__":
    sys.exit(main())
