"""What the test environment's small HTTP servers share (the SigV4 verifier, the OAuth2 token
endpoint): JSON answers, a log on stderr, and the start on a loopback port chosen by the
system, reported as one JSON line {"ready": true, "port": N} on stdout; SIGTERM stops it.
"""

import json
import signal
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class JsonHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def read_body(self):
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length > 0 else b""

    def answer(self, status, document):
        payload = json.dumps(document).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, format, *args):
        sys.stderr.write("%s\n" % (format % args))


def serve(handler_class, port, **state):
    """Serves until SIGTERM; `state` becomes attributes of the server (with a `lock`)."""
    server = ThreadingHTTPServer(("127.0.0.1", port), handler_class)
    server.daemon_threads = True
    server.lock = threading.Lock()
    for name, value in state.items():
        setattr(server, name, value)
    signal.signal(signal.SIGTERM, lambda *_: threading.Thread(target=server.shutdown).start())
    print(json.dumps({"ready": True, "port": server.server_address[1]}), flush=True)
    server.serve_forever()
