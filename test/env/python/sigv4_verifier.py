"""An HTTP server that checks every request's SigV4 signature the way AWS does, with
botocore's own signer (independent of the AWS SDK for JavaScript that signed it): it
recomputes the signature over the request it received (method, path, query, the headers
the request says it signed, and the SHA-256 of the body it actually got) for the one
service name, region and credentials it was started with, using the request's x-amz-date.
A request whose Authorization header differs, that leaves host, content-type or an
x-amz-* header unsigned, or whose x-amz-content-sha256 is not its body's, gets 403; a
verified one gets 200 with a small JSON document describing it.

Prints one JSON line {"ready": true, "port": N} on stdout once it accepts requests.
"""

import argparse
import datetime
import hashlib
import re
import sys

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from loopback_server import JsonHandler, serve

AUTHORIZATION = re.compile(r"^AWS4-HMAC-SHA256 Credential=([^,]+), SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$")
MAX_CLOCK_SKEW = datetime.timedelta(minutes=15)


def refusal(headers, body, config):
    """Why the request's signature is not valid, or None."""
    authorization = headers.get("Authorization")
    if authorization is None:
        return "no Authorization header"
    match = AUTHORIZATION.match(authorization)
    if match is None:
        return "Authorization is not an AWS4-HMAC-SHA256 signature"
    signed = match.group(2).split(";")
    present = {name.lower() for name in headers.keys()}
    must_sign = {"host", "x-amz-date"} | {name for name in present if name.startswith("x-amz-") or name == "content-type"}
    unsigned = sorted(must_sign - set(signed))
    if unsigned:
        return "not signed: " + ", ".join(unsigned)
    amz_date = headers.get("X-Amz-Date", "")
    try:
        signed_at = datetime.datetime.strptime(amz_date, "%Y%m%dT%H%M%SZ").replace(tzinfo=datetime.timezone.utc)
    except ValueError:
        return "x-amz-date is not a SigV4 timestamp"
    if abs(datetime.datetime.now(datetime.timezone.utc) - signed_at) > MAX_CLOCK_SKEW:
        return "x-amz-date is more than 15 minutes away"
    content_sha256 = headers.get("X-Amz-Content-SHA256")
    if content_sha256 is not None and content_sha256 != hashlib.sha256(body).hexdigest():
        return "x-amz-content-sha256 is not the SHA-256 of the body"
    if headers.get("X-Amz-Security-Token") != config.session_token:
        return "x-amz-security-token is not the session's"

    request = AWSRequest(
        method=config.method,
        url="http://" + headers["Host"] + config.path,
        headers={name: headers[name] for name in signed if headers.get(name) is not None},
        data=body,
    )
    request.context["timestamp"] = amz_date
    auth = SigV4Auth(Credentials(config.access_key, config.secret_key, config.session_token), config.service, config.region)
    canonical_request = auth.canonical_request(request)
    signature = auth.signature(auth.string_to_sign(request, canonical_request), request)
    # scope(): <access key>/<date>/<region>/<service>/aws4_request, from this server's settings.
    expected = "AWS4-HMAC-SHA256 Credential={}, SignedHeaders={}, Signature={}".format(
        auth.scope(request), auth.signed_headers(auth.headers_to_sign(request)), signature
    )
    if authorization != expected:
        # For whoever reads the log of a failing test: what botocore signed.
        sys.stderr.write("signature mismatch\nreceived: %s\nexpected: %s\ncanonical request:\n%s\n" % (authorization, expected, canonical_request))
        return "signature mismatch: expected scope {}".format(auth.scope(request))
    return None


class Handler(JsonHandler):
    def handle_any(self):
        body = self.read_body()
        config = argparse.Namespace(**vars(self.server.config), method=self.command, path=self.path)
        reason = refusal(self.headers, body, config)
        if reason:
            return self.answer(403, {"error": {"message": reason, "type": "SignatureDoesNotMatch", "code": 403}})
        return self.answer(200, {
            "accepted": True,
            "service": config.service,
            "region": config.region,
            "method": self.command,
            "path": self.path,
            "bodySha256": hashlib.sha256(body).hexdigest(),
        })

    do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = handle_any


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--service", required=True)
    parser.add_argument("--region", required=True)
    parser.add_argument("--access-key", required=True)
    parser.add_argument("--secret-key", required=True)
    parser.add_argument("--session-token")
    arguments = parser.parse_args()
    config = argparse.Namespace(**{name: value for name, value in vars(arguments).items() if name != "port"})
    serve(Handler, arguments.port, config=config)


if __name__ == "__main__":
    main()
