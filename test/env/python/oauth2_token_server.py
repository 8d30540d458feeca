"""An OAuth2 token endpoint as the Iceberg REST spec describes it (POST /v1/oauth/tokens,
grant_type=client_credentials, form-encoded, client credentials in the form or as HTTP
basic auth) that issues short-lived opaque tokens, and one protected route (GET /v1/config)
that answers 200 only for a token it issued that has not expired by its own clock, 401
otherwise. GET /test/stats reports how many tokens it issued and requests it refused.

Prints one JSON line {"ready": true, "port": N} on stdout once it accepts requests.
"""

import argparse
import base64
import secrets
import time
from urllib.parse import parse_qs, unquote

from loopback_server import JsonHandler, serve


class Handler(JsonHandler):
    def do_POST(self):
        body = self.read_body().decode("utf-8")
        if self.path != "/v1/oauth/tokens":
            return self.answer(404, {"error": "not_found"})
        if not (self.headers.get("Content-Type") or "").startswith("application/x-www-form-urlencoded"):
            return self.answer(400, {"error": "invalid_request", "error_description": "the request must be form-encoded"})
        form = {name: values[0] for name, values in parse_qs(body).items()}
        client_id, client_secret = form.get("client_id"), form.get("client_secret")
        basic = self.headers.get("Authorization") or ""
        if basic.startswith("Basic "):
            user, _, password = base64.b64decode(basic[6:]).decode("utf-8").partition(":")
            client_id, client_secret = unquote(user), unquote(password)
        config = self.server.config
        if form.get("grant_type") != "client_credentials":
            return self.answer(400, {"error": "unsupported_grant_type", "error_description": "only client_credentials"})
        if client_id != config.client_id or client_secret != config.client_secret:
            return self.answer(401, {"error": "invalid_client", "error_description": "unknown client or wrong secret"})
        if form.get("scope") != config.scope:
            return self.answer(400, {"error": "invalid_scope", "error_description": "scope must be " + config.scope})
        token = secrets.token_urlsafe(24)
        with self.server.lock:
            self.server.tokens[token] = time.monotonic() + config.expires_in
            self.server.stats["tokensIssued"] += 1
        return self.answer(200, {
            "access_token": token,
            "token_type": "bearer",
            "expires_in": config.expires_in,
            "issued_token_type": "urn:ietf:params:oauth:token-type:access_token",
        })

    def do_GET(self):
        if self.path == "/test/stats":
            with self.server.lock:
                return self.answer(200, dict(self.server.stats))
        if self.path != "/v1/config":
            return self.answer(404, {"error": "not_found"})
        authorization = self.headers.get("Authorization") or ""
        token = authorization[7:] if authorization.startswith("Bearer ") else None
        with self.server.lock:
            expires = self.server.tokens.get(token)
            valid = expires is not None and time.monotonic() < expires
            self.server.stats["accepted" if valid else "refused"] += 1
        if not valid:
            reason = "no bearer token" if token is None else "unknown token" if expires is None else "expired token"
            return self.answer(401, {"error": {"message": reason, "type": "NotAuthorizedException", "code": 401}})
        return self.answer(200, {"defaults": {}, "overrides": {}, "token": token})


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--client-id", required=True)
    parser.add_argument("--client-secret", required=True)
    parser.add_argument("--scope", default="catalog")
    parser.add_argument("--expires-in", type=int, default=2)
    config = parser.parse_args()
    serve(Handler, config.port, config=config, tokens={}, stats={"tokensIssued": 0, "accepted": 0, "refused": 0})


if __name__ == "__main__":
    main()
