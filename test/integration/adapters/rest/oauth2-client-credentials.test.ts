// OAuth2 client credentials against a real token endpoint (test/env/python/oauth2_token_server.py):
// tokens live 2 s by the server's clock, and its /v1/config refuses an expired or unknown one.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CreateSecretCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createSecretsManagerReader } from "../../../../lib/adapters/aws/secrets-manager-secret.js";
import { createOAuth2ClientCredentialsAuthenticator } from "../../../../lib/adapters/rest/oauth2-client-credentials.js";
import type { RequestAuthenticator } from "../../../../lib/adapters/rest/request-authenticator.js";
import { parseRestCatalogAuth } from "../../../../lib/config/rest-catalog-auth.js";
import { createRestCatalogAuthenticator } from "../../../../lib/runtime/rest-catalog-authenticator.js";
import { withRestCatalogCredentials } from "../../../../lib/runtime/rest-catalog-credentials.js";
import { awsTestClientConfig } from "../../../env/aws.js";
import { startOAuth2TokenServer } from "../../../env/rest-auth-servers.js";
import { testEnvironment } from "../../../env/test-environment.js";
import { uniqueName } from "../../../env/unique-name.js";

const client = { clientId: "exporter", clientSecret: "s3cret-value" };
let server: Awaited<ReturnType<typeof startOAuth2TokenServer>>;

beforeAll(async () => {
  server = await startOAuth2TokenServer({ ...client, expiresInSeconds: 2, workDir: mkdtempSync(join(tmpdir(), "oauth2-token-server-")) });
});

afterAll(async () => {
  await (server as typeof server | undefined)?.stop();
});

/** GET /v1/config the way the REST catalog adapter sends requests: on 401, invalidate and retry once. */
async function getConfig(authenticator: RequestAuthenticator): Promise<{ status: number; token: string | undefined; attempts: number }> {
  const url = `${server.endpoint}/v1/config`;
  for (let attempt = 1; ; attempt++) {
    const response = await fetch(url, { headers: await authenticator.headersFor({ method: "GET", url, headers: {} }) });
    const body = (await response.json()) as { token?: string };
    if (response.status === 401 && attempt === 1 && authenticator.invalidate !== undefined) {
      authenticator.invalidate();
      continue;
    }
    return { status: response.status, token: body.token, attempts: attempt };
  }
}

function authenticatorWithClock(now: () => number, options: { clientAuthentication?: "body" | "basic" } = {}): RequestAuthenticator {
  return createOAuth2ClientCredentialsAuthenticator({ tokenUri: `${server.endpoint}/v1/oauth/tokens`, ...client, scope: "catalog", now, ...options });
}

describe("OAuth2 client credentials against a token endpoint", () => {
  it("fetch a token from <uri>/v1/oauth/tokens, send it, and keep it while it lives", async () => {
    const before = await server.stats();
    const auth = parseRestCatalogAuth({ REST_CATALOG_OAUTH_CLIENT_ID: client.clientId, REST_CATALOG_OAUTH_CLIENT_SECRET: client.clientSecret }, server.endpoint);
    // A frozen clock: the token is reused, whatever the machine's load.
    const start = Date.now();
    const authenticator = authenticatorWithClock(() => start);
    const first = await getConfig(authenticator);
    const second = await getConfig(authenticator);
    expect(first).toMatchObject({ status: 200, attempts: 1 });
    expect(second).toEqual({ ...first });
    expect((await server.stats()).tokensIssued).toBe(before.tokensIssued + 1);
    // The same, wired from the settings.
    expect(await getConfig(createRestCatalogAuthenticator(auth, { catalogUri: `${server.endpoint}/` }))).toMatchObject({ status: 200, attempts: 1 });
  });

  it("take the client's credentials from the Secrets Manager secret the stack names (moto), as a cold start does", async () => {
    const secrets = new SecretsManagerClient(awsTestClientConfig(testEnvironment().awsEndpoint));
    const { ARN: secretArn } = await secrets.send(new CreateSecretCommand({ Name: uniqueName("catalog"), SecretString: JSON.stringify({ clientId: "exporter", clientSecret: "s3cret-value" }) }));
    const settings = await withRestCatalogCredentials({ REST_CATALOG_SECRET_ARN: secretArn ?? "" }, createSecretsManagerReader(secrets));
    const authenticator = createRestCatalogAuthenticator(parseRestCatalogAuth(settings, server.endpoint), { catalogUri: server.endpoint });
    expect(await getConfig(authenticator)).toMatchObject({ status: 200, attempts: 1 });
  });

  it("fetch a new token before the old one expires", async () => {
    const before = await server.stats();
    let offsetMs = 0;
    const authenticator = authenticatorWithClock(() => Date.now() + offsetMs);
    const first = await getConfig(authenticator);
    // Half the 2 s lifetime later by the client's clock: inside the refresh margin, still
    // valid by the server's.
    offsetMs = 1_000;
    const second = await getConfig(authenticator);
    expect([first.status, second.status]).toEqual([200, 200]);
    expect(second.token).not.toBe(first.token);
    const after = await server.stats();
    expect(after.tokensIssued).toBe(before.tokensIssued + 2);
    // Neither request needed the retry: the client never sent a token the server had expired.
    expect([first.attempts, second.attempts]).toEqual([1, 1]);
  });

  it("on a 401 for a token the server expired, invalidate it and succeed with one retry", async () => {
    const frozen = Date.now();
    const authenticator = authenticatorWithClock(() => frozen);
    const first = await getConfig(authenticator);
    expect(first.status).toBe(200);
    // Wait until the server has expired that token (by its clock, ~2 s).
    await vi.waitFor(
      async () => {
        const response = await fetch(`${server.endpoint}/v1/config`, { headers: { Authorization: `Bearer ${first.token}` } });
        expect(response.status).toBe(401);
      },
      { timeout: 60_000, interval: 200 },
    );
    const before = await server.stats();
    const retried = await getConfig(authenticator);
    expect(retried).toMatchObject({ status: 200, attempts: 2 });
    expect(retried.token).not.toBe(first.token);
    expect((await server.stats()).tokensIssued).toBe(before.tokensIssued + 1);
  });

  it("share one token fetch between concurrent requests, with the credentials as HTTP basic auth", async () => {
    const before = await server.stats();
    const start = Date.now();
    const authenticator = authenticatorWithClock(() => start, { clientAuthentication: "basic" });
    const answers = await Promise.all(Array.from({ length: 8 }, () => getConfig(authenticator)));
    expect(answers.every((answer) => answer.status === 200)).toBe(true);
    expect(new Set(answers.map((answer) => answer.token)).size).toBe(1);
    expect((await server.stats()).tokensIssued).toBe(before.tokensIssued + 1);
  });

  it("report a refused client with the token URI and the server's error, never the secret", async () => {
    const tokenUri = `${server.endpoint}/v1/oauth/tokens`;
    const authenticator = createOAuth2ClientCredentialsAuthenticator({ tokenUri, clientId: client.clientId, clientSecret: "wrong-secret", scope: "catalog" });
    const failure = authenticator.headersFor({ method: "GET", url: `${server.endpoint}/v1/config`, headers: {} });
    await expect(failure).rejects.toMatchObject({
      code: "CONFIGURATION",
      retryable: false,
      message: `OAuth2 token request to ${tokenUri} (client exporter) failed with HTTP 401: invalid_client (unknown client or wrong secret); check the client id, secret, scope and token URI`,
    });
    const wrongScope = createOAuth2ClientCredentialsAuthenticator({ tokenUri, ...client, scope: "PRINCIPAL_ROLE:ALL" });
    await expect(wrongScope.headersFor({ method: "GET", url: tokenUri, headers: {} })).rejects.toThrow("failed with HTTP 400: invalid_scope (scope must be catalog)");
  });
});
