// SigV4 on the wire: each request is checked by a server that recomputes the signature with
// botocore (test/env/python/sigv4_verifier.py), not by the signer that made it.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createSigV4RequestAuthenticator } from "../../../../lib/adapters/aws/sigv4-request-authenticator.js";
import type { RequestAuthenticator, RestRequest } from "../../../../lib/adapters/rest/request-authenticator.js";
import { parseRestCatalogAuth } from "../../../../lib/config/rest-catalog-auth.js";
import { createRestCatalogAuthenticator } from "../../../../lib/runtime/rest-catalog-authenticator.js";
import type { RunningPythonServer } from "../../../env/python-server.js";
import { startSigV4Verifier } from "../../../env/rest-auth-servers.js";

const credentials = { accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", sessionToken: "session-token-of-the-lambda-role" };
const tableBucketArn = "arn:aws:s3tables:eu-west-1:123456789012:bucket/exports";

let glue: RunningPythonServer;
let s3tables: RunningPythonServer;

beforeAll(async () => {
  const workDir = mkdtempSync(join(tmpdir(), "sigv4-verifier-"));
  [glue, s3tables] = await Promise.all([
    startSigV4Verifier({ service: "glue", region: "us-east-1", credentials, workDir }),
    startSigV4Verifier({ service: "s3tables", region: "eu-west-1", credentials, workDir }),
  ]);
});

afterAll(async () => {
  for (const server of [glue, s3tables] as (RunningPythonServer | undefined)[]) await server?.stop();
});

interface Answer {
  status: number;
  body: { accepted?: boolean; service?: string; region?: string; path?: string; error?: { message: string } };
}

/** Sends the request with the authenticator's headers; `sentBody` replaces the body after signing. */
async function send(authenticator: RequestAuthenticator, request: RestRequest, sentBody: string | undefined = request.body): Promise<Answer> {
  const added = await authenticator.headersFor(request);
  const response = await fetch(request.url, { method: request.method, headers: { ...request.headers, ...added }, ...(sentBody === undefined ? {} : { body: sentBody }) });
  return { status: response.status, body: (await response.json()) as Answer["body"] };
}

function commitRequest(endpoint: string): RestRequest {
  return {
    method: "POST",
    url: `${endpoint}/iceberg/v1/catalogs/123456789012/namespaces/kafka/tables/orders`,
    headers: { "Content-Type": "application/json", "X-Iceberg-Access-Delegation": "vended-credentials" },
    body: JSON.stringify({ requirements: [{ type: "assert-table-uuid", uuid: "9c12d441-03fe-4693-9a96-a0705ddf69c1" }], updates: [] }),
  };
}

describe("SigV4 request authenticator, verified by botocore", () => {
  it("signs requests for glue in us-east-1 that the verifier accepts: a commit body, a query, a session token", async () => {
    const authenticator = createSigV4RequestAuthenticator({ signingName: "glue", region: "us-east-1", credentials });
    const commit = await send(authenticator, commitRequest(glue.endpoint));
    expect(commit).toMatchObject({ status: 200, body: { accepted: true, service: "glue", region: "us-east-1" } });
    const list = await send(authenticator, { method: "GET", url: `${glue.endpoint}/iceberg/v1/catalogs/123456789012/namespaces/kafka/tables?pageToken=a%20b%2Fc&pageSize=100`, headers: {} });
    expect(list).toMatchObject({ status: 200, body: { accepted: true } });
  });

  it("signs requests for s3tables in eu-west-1, with the table bucket's ARN encoded in the path", async () => {
    const authenticator = createSigV4RequestAuthenticator({ signingName: "s3tables", region: "eu-west-1", credentials });
    const path = `/iceberg/v1/${encodeURIComponent(tableBucketArn)}/namespaces/kafka/tables/orders`;
    expect(await send(authenticator, { method: "GET", url: `${s3tables.endpoint}${path}`, headers: {} })).toMatchObject({ status: 200, body: { accepted: true, service: "s3tables", region: "eu-west-1", path } });
    expect(await send(authenticator, { ...commitRequest(s3tables.endpoint), url: `${s3tables.endpoint}${path}` })).toMatchObject({ status: 200 });
  });

  it.each([
    ["the wrong service name", "s3tables", "us-east-1", "signature mismatch: expected scope"],
    ["the wrong region", "glue", "eu-west-1", "signature mismatch: expected scope"],
  ])("is refused when signed for %s", async (_case, signingName, region, reason) => {
    const authenticator = createSigV4RequestAuthenticator({ signingName, region, credentials });
    const answer = await send(authenticator, commitRequest(glue.endpoint));
    expect(answer.status).toBe(403);
    expect(answer.body.error?.message).toContain(reason);
  });

  it("is refused when the body is changed after signing, or signed with another secret", async () => {
    const authenticator = createSigV4RequestAuthenticator({ signingName: "glue", region: "us-east-1", credentials });
    const request = commitRequest(glue.endpoint);
    const tampered = await send(authenticator, request, (request.body ?? "").replace("assert-table-uuid", "assert-create"));
    expect(tampered).toMatchObject({ status: 403, body: { error: { message: "x-amz-content-sha256 is not the SHA-256 of the body" } } });
    const otherSecret = createSigV4RequestAuthenticator({ signingName: "glue", region: "us-east-1", credentials: { ...credentials, secretAccessKey: "another-secret" } });
    expect((await send(otherSecret, request)).status).toBe(403);
  });

  it("is built from the REST_CATALOG_* settings, with credentials from the SDK's default chain", async () => {
    vi.stubEnv("AWS_ACCESS_KEY_ID", credentials.accessKeyId);
    vi.stubEnv("AWS_SECRET_ACCESS_KEY", credentials.secretAccessKey);
    vi.stubEnv("AWS_SESSION_TOKEN", credentials.sessionToken);
    try {
      const auth = parseRestCatalogAuth({ REST_CATALOG_AUTH: "sigv4", REST_CATALOG_SIGNING_NAME: "s3tables", REST_CATALOG_SIGNING_REGION: "eu-west-1" }, s3tables.endpoint);
      const authenticator = createRestCatalogAuthenticator(auth, { catalogUri: s3tables.endpoint });
      expect(await send(authenticator, commitRequest(s3tables.endpoint))).toMatchObject({ status: 200, body: { accepted: true, service: "s3tables" } });
    } finally {
      vi.unstubAllEnvs();
    }
  });
});
