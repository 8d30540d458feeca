// OAuth2 client credentials for an Iceberg REST catalog (Polaris, Open Catalog, Unity,
// Lakekeeper...): a token from the token endpoint (the REST spec's POST /v1/oauth/tokens, or
// an identity provider's), kept and sent as a bearer token, fetched anew shortly before it
// expires. The lifetime is the answer's `expires_in`; without it, a JWT's `exp` claim; an
// opaque token without either is kept until the catalog answers 401 (invalidate()).
// Concurrent requests wait for the same fetch instead of each asking for a token.
import { ExportError, UnavailableError } from "../../core/errors.js";
import { withRetry, type RetryOptions } from "../../core/retry.js";
import { withoutUserInfo } from "../../core/url-credentials.js";
import type { RequestAuthenticator } from "./request-authenticator.js";

export interface OAuth2ClientCredentialsOptions {
  tokenUri: string;
  clientId: string;
  clientSecret: string;
  scope: string;
  /**
   * Where the client credentials go: the form body (the Iceberg REST spec's
   * OAuthClientCredentialsRequest, what iceberg-java and pyiceberg send) or an HTTP basic
   * Authorization header (RFC 6749 §2.3.1, which some identity providers require).
   */
  clientAuthentication?: "body" | "basic";
  /** A token is fetched anew this long before it expires, or half its lifetime when that is shorter. */
  refreshMarginMs?: number;
  /** One token request's deadline. */
  requestTimeoutMs?: number;
  retry?: RetryOptions;
  fetch?: typeof fetch;
  now?: () => number;
}

interface Token {
  accessToken: string;
  /** When to fetch a new one (epoch ms); undefined: until invalidated. */
  refreshAtMs: number | undefined;
}

const defaults = { clientAuthentication: "body", refreshMarginMs: 60_000, requestTimeoutMs: 10_000 } as const;

export function createOAuth2ClientCredentialsAuthenticator(options: OAuth2ClientCredentialsOptions): RequestAuthenticator {
  const now = options.now ?? Date.now;
  let token: Token | undefined;
  let pending: Promise<Token> | undefined;

  function currentToken(): Promise<Token> {
    if (token !== undefined && (token.refreshAtMs === undefined || now() < token.refreshAtMs)) return Promise.resolve(token);
    pending ??= fetchToken(options, now).then(
      (fetched) => {
        token = fetched;
        pending = undefined;
        return fetched;
      },
      (error: unknown) => {
        pending = undefined;
        throw error;
      },
    );
    return pending;
  }

  return {
    async headersFor() {
      const { accessToken } = await currentToken();
      return { Authorization: `Bearer ${accessToken}` };
    },
    invalidate() {
      token = undefined;
    },
  };
}

async function fetchToken(options: OAuth2ClientCredentialsOptions, now: () => number): Promise<Token> {
  const fetchImpl = options.fetch ?? fetch;
  const clientAuthentication = options.clientAuthentication ?? defaults.clientAuthentication;
  const where = `OAuth2 token request to ${withoutUserInfo(options.tokenUri)} (client ${options.clientId})`;
  const form = new URLSearchParams({ grant_type: "client_credentials", scope: options.scope });
  const headers: Record<string, string> = { "Content-Type": "application/x-www-form-urlencoded", Accept: "application/json" };
  if (clientAuthentication === "basic") {
    // RFC 6749 §2.3.1: each part form-encoded before the base64.
    const pair = `${encodeURIComponent(options.clientId)}:${encodeURIComponent(options.clientSecret)}`;
    headers["Authorization"] = `Basic ${Buffer.from(pair, "utf8").toString("base64")}`;
  } else {
    form.set("client_id", options.clientId);
    form.set("client_secret", options.clientSecret);
  }
  return withRetry(
    async () => {
      const requestedAtMs = now();
      let response: Response;
      let text: string;
      try {
        response = await fetchImpl(options.tokenUri, {
          method: "POST",
          headers,
          body: form.toString(),
          signal: AbortSignal.timeout(options.requestTimeoutMs ?? defaults.requestTimeoutMs),
        });
        text = await response.text();
      } catch (error) {
        // No answer (refused, reset, timed out): the endpoint may be back in a moment.
        throw new UnavailableError("STORAGE_UNAVAILABLE", `${where} got no answer: ${error instanceof Error ? error.message : String(error)}`, error);
      }
      if (!response.ok) throw tokenRequestFailure(where, response.status, text);
      return tokenFromAnswer(where, text, requestedAtMs, options.refreshMarginMs ?? defaults.refreshMarginMs);
    },
    { maxAttempts: 3, ...options.retry },
  );
}

// RFC 6749 §5.2: {"error": "invalid_client", "error_description": "..."}. A refusal (4xx) is a
// setting to fix (wrong client, secret or scope), never retried; 5xx and 429 are the server's.
function tokenRequestFailure(where: string, status: number, text: string): ExportError {
  const answer = jsonObject(text);
  const error = typeof answer?.["error"] === "string" ? answer["error"] : undefined;
  const description = typeof answer?.["error_description"] === "string" ? answer["error_description"] : undefined;
  const detail = error === undefined ? "" : `: ${error}${description === undefined ? "" : ` (${description})`}`;
  const message = `${where} failed with HTTP ${status}${detail}`;
  if (status >= 500 || status === 429) return new UnavailableError("STORAGE_UNAVAILABLE", message);
  return new ExportError("CONFIGURATION", `${message}; check the client id, secret, scope and token URI`);
}

function tokenFromAnswer(where: string, text: string, requestedAtMs: number, refreshMarginMs: number): Token {
  const answer = jsonObject(text);
  const accessToken = answer?.["access_token"];
  if (typeof accessToken !== "string" || accessToken === "") throw new ExportError("INTERNAL", `${where} answered without an access_token`);
  const tokenType = answer?.["token_type"];
  if (typeof tokenType === "string" && tokenType.toLowerCase() !== "bearer") throw new ExportError("INTERNAL", `${where} answered a token of type '${tokenType}'; a bearer token is expected`);
  const expiresIn = answer?.["expires_in"];
  // Counted from when the request was sent: the token may have been issued any time after.
  const expiresAtMs = typeof expiresIn === "number" && expiresIn > 0 ? requestedAtMs + expiresIn * 1000 : jwtExpiryMs(accessToken);
  if (expiresAtMs === undefined) return { accessToken, refreshAtMs: undefined };
  const lifetimeMs = Math.max(0, expiresAtMs - requestedAtMs);
  return { accessToken, refreshAtMs: expiresAtMs - Math.min(refreshMarginMs, lifetimeMs / 2) };
}

/** A JWT's `exp` (RFC 7519 §4.1.4, seconds since the epoch) in ms; undefined for anything else. */
export function jwtExpiryMs(token: string): number | undefined {
  const parts = token.split(".");
  if (parts.length !== 3 || parts[1] === undefined) return undefined;
  const payload = jsonObject(Buffer.from(parts[1], "base64url").toString("utf8"));
  const exp = payload?.["exp"];
  return typeof exp === "number" && Number.isFinite(exp) ? exp * 1000 : undefined;
}

function jsonObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
