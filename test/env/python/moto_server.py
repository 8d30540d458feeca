"""moto in server mode on loopback, for S3, Glue and DynamoDB, with Glue's optimistic
concurrency enforced and DynamoDB transactions made atomic under concurrency.

moto's Glue UpdateTable ignores VersionId, so an update made from a stale version
silently succeeds. Real Glue rejects it with ConcurrentModificationException, and our
committer depends on that rejection, so this launcher adds the check. It also honours
SkipArchive: the replaced version is not kept as an archived table version.

Prints one JSON line {"ready": true, "port": N} on stdout once it accepts requests.
"""

import argparse
import json
import signal
import sys
import threading

from moto.core.exceptions import JsonRESTError
from moto.core.responses import ActionResult, EmptyResult
from moto.dynamodb.models import DynamoDBBackend
from moto.glue.models import GlueBackend
from moto.glue.responses import GlueResponse
from moto.moto_server.werkzeug_app import (
    DomainDispatcherApplication,
    MotoRequestHandler,
    create_backend_app,
)
from werkzeug.serving import make_server


class ConcurrentModificationException(JsonRESTError):
    code = 400

    def __init__(self, message: str):
        super().__init__("ConcurrentModificationException", message)


# Glue serialises updates of one table; the check and the update must be one step here
# too, or two concurrent requests from the same version could both pass the check.
_update_lock = threading.Lock()


def update_table_checking_version(self, database_name, table_name, table_input, version_id=None, skip_archive=False):
    with _update_lock:
        table = self.get_table(database_name, table_name)
        current_version = str(table._current_version)
        if version_id is not None and version_id != current_version:
            raise ConcurrentModificationException(
                "Update table failed due to concurrent modifications: "
                f"VersionId {version_id} is not the current version {current_version} "
                f"of table {database_name}.{table_name}."
            )
        table.update(table_input)
        if skip_archive:
            table.versions.pop(current_version, None)


def update_table_response(self):
    table_input = self.parameters.get("TableInput")
    self.glue_backend.update_table(
        self.parameters.get("DatabaseName"),
        table_input.get("Name"),
        table_input,
        version_id=self.parameters.get("VersionId"),
        skip_archive=bool(self.parameters.get("SkipArchive", False)),
    )
    return ActionResult(EmptyResult())


GlueBackend.update_table = update_table_checking_version
GlueResponse.update_table = update_table_response


# DynamoDB applies a transaction atomically and checks conditions against one state. moto
# applies TransactWriteItems item by item (backing the table up and restoring it on
# failure) with no lock, so two concurrent conditional transactions can both succeed, the
# race our staging must lose exactly once. One lock over the item operations restores
# DynamoDB's serialisability for the requests our code makes.
_dynamodb_lock = threading.RLock()


def serialised(method):
    def locked(self, *args, **kwargs):
        with _dynamodb_lock:
            return method(self, *args, **kwargs)

    return locked


for _operation in ("get_item", "put_item", "update_item", "delete_item", "query", "scan", "transact_write_items", "transact_get_items", "batch_get_item"):
    setattr(DynamoDBBackend, _operation, serialised(getattr(DynamoDBBackend, _operation)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    args = parser.parse_args()

    app = DomainDispatcherApplication(create_backend_app)
    server = make_server(args.host, args.port, app, threaded=True, request_handler=MotoRequestHandler)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    print(json.dumps({"ready": True, "port": server.server_port}), flush=True)
    try:
        server.serve_forever()
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
