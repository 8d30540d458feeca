import { describe, expect, it } from "vitest";
import { createOAuth2ClientCredentialsAuthenticator, jwtExpiryMs } from "../../../../lib/adapters/rest/oauth2-client-credentials.js";

const tokenUri = "https://idp.example.com/oauth2/token";

interface TokenRequest {
  url: string;
  headers: Record<string, string>;
  form: URLSearchParams;
}

/** A token endpoint answering from a script, recording each request. */
function tokenEndpoint(answers: (request: TokenRequest, index: number) => Response | Promise<Response>): { fetch: typeof fetch; requests: TokenRequest[] } {
  const requests: TokenRequest[] = [];
  const fetchImpl = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = input instanceof Request ? input.url : input.toString();
    const request = { url, headers: Object.fromEntries(new Headers(init?.headers).entries()), form: new URLSearchParams(typeof init?.body === "string" ? init.body : "") };
    requests.push(request);
    return answers(request, requests.length - 1);
  };
  return { fetch: fetchImpl, requests };
}

function tokenAnswer(body: Record<string, unknown>, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });
}

function jwt(payload: Record<string, unknown>): string {
  const part = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString("base64url");
  return `${part({ alg: "none" })}.${part(payload)}.signature`;
}

const noRetryWait = { retry: { sleep: () => Promise.resolve() } };

describe("OAuth2 client credentials", () => {
  it("fetch a token with the client's credentials in the form and send it as a bearer token", async () => {
    const endpoint = tokenEndpoint(() => tokenAnswer({ access_token: "token-1", token_type: "bearer", expires_in: 3600 }));
    const authenticator = createOAuth2ClientCredentialsAuthenticator({ tokenUri, clientId: "exporter", clientSecret: "s3cret", scope: "catalog", fetch: endpoint.fetch });
    expect(await authenticator.headersFor({ method: "GET", url: "https://catalog/v1/config", headers: {} })).toEqual({ Authorization: "Bearer token-1" });
    expect(endpoint.requests).toHaveLength(1);
    const [request] = endpoint.requests;
    expect(request?.url).toBe(tokenUri);
    expect(request?.headers["content-type"]).toBe("application/x-www-form-urlencoded");
    expect(Object.fromEntries(request?.form ?? [])).toEqual({ grant_type: "client_credentials", scope: "catalog", client_id: "exporter", client_secret: "s3cret" });
  });

  it("send the credentials as HTTP basic auth when told to", async () => {
    const endpoint = tokenEndpoint(() => tokenAnswer({ access_token: "token-1", token_type: "Bearer" }));
    const authenticator = createOAuth2ClientCredentialsAuthenticator({ tokenUri, clientId: "ex:porter", clientSecret: "s3cret", scope: "catalog", clientAuthentication: "basic", fetch: endpoint.fetch });
    await authenticator.headersFor({ method: "GET", url: "https://catalog/v1/config", headers: {} });
    expect(endpoint.requests[0]?.headers["authorization"]).toBe(`Basic ${Buffer.from("ex%3Aporter:s3cret").toString("base64")}`);
    expect(endpoint.requests[0]?.form.has("client_secret")).toBe(false);
  });

  it("keep the token until shortly before expires_in runs out, then fetch a new one", async () => {
    let clock = 1_000_000;
    const endpoint = tokenEndpoint((_request, index) => tokenAnswer({ access_token: `token-${index + 1}`, token_type: "bearer", expires_in: 600 }));
    const authenticator = createOAuth2ClientCredentialsAuthenticator({ tokenUri, clientId: "c", clientSecret: "s", scope: "catalog", refreshMarginMs: 60_000, fetch: endpoint.fetch, now: () => clock });
    const authorization = async (): Promise<string | undefined> => (await authenticator.headersFor({ method: "GET", url: "https://catalog/x", headers: {} }))["Authorization"];
    expect(await authorization()).toBe("Bearer token-1");
    clock += 539_999;
    expect(await authorization()).toBe("Bearer token-1");
    clock += 1;
    expect(await authorization()).toBe("Bearer token-2");
    expect(endpoint.requests).toHaveLength(2);
  });

  it("refresh a short-lived token at half its lifetime when the margin is longer", async () => {
    let clock = 0;
    const endpoint = tokenEndpoint((_request, index) => tokenAnswer({ access_token: `token-${index + 1}`, expires_in: 2 }));
    const authenticator = createOAuth2ClientCredentialsAuthenticator({ tokenUri, clientId: "c", clientSecret: "s", scope: "catalog", fetch: endpoint.fetch, now: () => clock });
    await authenticator.headersFor({ method: "GET", url: "https://catalog/x", headers: {} });
    clock = 999;
    expect((await authenticator.headersFor({ method: "GET", url: "https://catalog/x", headers: {} }))["Authorization"]).toBe("Bearer token-1");
    clock = 1_000;
    expect((await authenticator.headersFor({ method: "GET", url: "https://catalog/x", headers: {} }))["Authorization"]).toBe("Bearer token-2");
  });

  it("read a JWT's exp when the answer has no expires_in, and keep an opaque token until invalidated", async () => {
    expect(jwtExpiryMs(jwt({ sub: "exporter", exp: 1_700_000_000 }))).toBe(1_700_000_000_000);
    expect(jwtExpiryMs("opaque-token")).toBeUndefined();
    let clock = 1_700_000_000_000 - 3_600_000;
    const tokens = [jwt({ exp: 1_700_000_000, n: 1 }), jwt({ exp: 1_700_003_600, n: 2 })];
    const endpoint = tokenEndpoint((_request, index) => tokenAnswer({ access_token: tokens[index] }));
    const authenticator = createOAuth2ClientCredentialsAuthenticator({ tokenUri, clientId: "c", clientSecret: "s", scope: "catalog", fetch: endpoint.fetch, now: () => clock });
    const bearer = async (): Promise<string | undefined> => (await authenticator.headersFor({ method: "GET", url: "https://catalog/x", headers: {} }))["Authorization"];
    expect(await bearer()).toBe(`Bearer ${tokens[0]}`);
    clock = 1_700_000_000_000 - 60_000;
    expect(await bearer()).toBe(`Bearer ${tokens[1]}`);

    const opaque = tokenEndpoint((_request, index) => tokenAnswer({ access_token: `opaque-${index + 1}` }));
    const kept = createOAuth2ClientCredentialsAuthenticator({ tokenUri, clientId: "c", clientSecret: "s", scope: "catalog", fetch: opaque.fetch, now: () => clock });
    await kept.headersFor({ method: "GET", url: "https://catalog/x", headers: {} });
    clock += 365 * 86_400_000;
    expect((await kept.headersFor({ method: "GET", url: "https://catalog/x", headers: {} }))["Authorization"]).toBe("Bearer opaque-1");
    kept.invalidate?.();
    expect((await kept.headersFor({ method: "GET", url: "https://catalog/x", headers: {} }))["Authorization"]).toBe("Bearer opaque-2");
  });

  it("share one token fetch between concurrent requests", async () => {
    let release: () => void = () => undefined;
    const answered = new Promise<void>((resolve) => (release = resolve));
    const endpoint = tokenEndpoint(async () => {
      await answered;
      return tokenAnswer({ access_token: "shared", expires_in: 3600 });
    });
    const authenticator = createOAuth2ClientCredentialsAuthenticator({ tokenUri, clientId: "c", clientSecret: "s", scope: "catalog", fetch: endpoint.fetch });
    const requests = Array.from({ length: 5 }, () => authenticator.headersFor({ method: "GET", url: "https://catalog/x", headers: {} }));
    release();
    expect(new Set((await Promise.all(requests)).map((headers) => headers["Authorization"]))).toEqual(new Set(["Bearer shared"]));
    expect(endpoint.requests).toHaveLength(1);
  });

  it("refuse credentials with the token URI and the server's error, not retried and without the secret", async () => {
    const endpoint = tokenEndpoint(() => tokenAnswer({ error: "invalid_client", error_description: "unknown client or wrong secret" }, 401));
    const authenticator = createOAuth2ClientCredentialsAuthenticator({ tokenUri, clientId: "exporter", clientSecret: "s3cret-value", scope: "catalog", fetch: endpoint.fetch, ...noRetryWait });
    const failure = authenticator.headersFor({ method: "GET", url: "https://catalog/x", headers: {} });
    await expect(failure).rejects.toMatchObject({
      code: "CONFIGURATION",
      retryable: false,
      message: `OAuth2 token request to ${tokenUri} (client exporter) failed with HTTP 401: invalid_client (unknown client or wrong secret); check the client id, secret, scope and token URI`,
    });
    await expect(failure).rejects.not.toThrow("s3cret-value");
    expect(endpoint.requests).toHaveLength(1);
  });

  it("retry a server failure and an unanswered request, and fail retryable when they persist", async () => {
    const endpoint = tokenEndpoint((_request, index) => (index === 0 ? tokenAnswer({}, 503) : index === 1 ? Promise.reject(new TypeError("fetch failed")) : tokenAnswer({ access_token: "third-time" })));
    const authenticator = createOAuth2ClientCredentialsAuthenticator({ tokenUri, clientId: "c", clientSecret: "s", scope: "catalog", fetch: endpoint.fetch, ...noRetryWait });
    expect((await authenticator.headersFor({ method: "GET", url: "https://catalog/x", headers: {} }))["Authorization"]).toBe("Bearer third-time");

    const down = tokenEndpoint(() => tokenAnswer({ error: "temporarily_unavailable" }, 503));
    const failing = createOAuth2ClientCredentialsAuthenticator({ tokenUri, clientId: "c", clientSecret: "s", scope: "catalog", fetch: down.fetch, ...noRetryWait });
    await expect(failing.headersFor({ method: "GET", url: "https://catalog/x", headers: {} })).rejects.toMatchObject({
      retryable: true,
      message: `OAuth2 token request to ${tokenUri} (client c) failed with HTTP 503: temporarily_unavailable`,
    });
    expect(down.requests).toHaveLength(3);
  });

  it("refuse an answer without an access token or with another token type", async () => {
    for (const body of [{ token_type: "bearer" }, { access_token: "x", token_type: "mac" }]) {
      const endpoint = tokenEndpoint(() => tokenAnswer(body));
      const authenticator = createOAuth2ClientCredentialsAuthenticator({ tokenUri, clientId: "c", clientSecret: "s", scope: "catalog", fetch: endpoint.fetch, ...noRetryWait });
      await expect(authenticator.headersFor({ method: "GET", url: "https://catalog/x", headers: {} })).rejects.toThrow(`OAuth2 token request to ${tokenUri} (client c) answered`);
    }
  });
});
