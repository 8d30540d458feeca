"""Runs one SQL query in DuckDB with its iceberg extension and prints the rows as JSON.

The extension comes from the duckdb-ext-iceberg (and -avro) packages of this virtualenv,
built for this DuckDB version: nothing is downloaded, and the query runs offline.
Values follow the JSON conventions of iceberg_tool.py (via spark_server.json_value).
"""

import argparse
import importlib.util
import json
import os
import sys

import duckdb

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from spark_server import json_value  # noqa: E402 (the one copy of the JSON conventions on this side)


def extension_directory() -> str:
    spec = importlib.util.find_spec("duckdb_ext")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("duckdb_ext is not installed: the duckdb-ext-iceberg package ships the extension")
    return os.path.join(list(spec.submodule_search_locations)[0], "extensions")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("sql")
    args = parser.parse_args()
    connection = duckdb.connect(
        config={"extension_directory": extension_directory(), "autoinstall_known_extensions": False, "autoload_known_extensions": True}
    )
    connection.execute("LOAD iceberg")
    cursor = connection.execute(args.sql)
    columns = [column[0] for column in cursor.description]
    rows = [dict(zip(columns, row)) for row in cursor.fetchall()]
    json.dump({"columns": columns, "rows": json_value(rows)}, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
