// HTTP for the Iceberg REST catalog protocol (open-api/rest-catalog-open-api.yaml): one JSON
// request, authenticated per request (request-authenticator.ts), with a timeout, and the
// answer handed back whatever its status, so that each operation maps the statuses the spec
// gives it. JSON both ways keeps every long exact (snapshot ids beyond 2^53).
import { isNotConnected, isTimeout } from "../../core/network-errors.js";
import { isJsonObject } from "../../core/json-object.js";
import { parseExactJson, stringifyExactJson } from "../../iceberg/metadata-json.js";
import type { RequestAuthenticator } from "./request-authenticator.js";

export interface RestCall {
  method: "GET" | "POST" | "HEAD" | "DELETE";
  /** Below the catalog URI, e.g. `v1/config`; already encoded. */
  path: string;
  query?: Record<string, string>;
  body?: unknown;
  /** For messages: what the call is for. */
  operation: string;
}

export interface RestAnswer {
  status: number;
  /** The parsed JSON body; undefined when empty or not JSON. */
  body: unknown;
}

/** The call failed without an HTTP answer. */
export class RestTransportError extends Error {
  constructor(
    readonly operation: string,
    /** False only when no connection was made: the server cannot have acted on the request. */
    readonly maybeReceived: boolean,
    message: string,
    cause: unknown,
  ) {
    super(message, { cause });
    this.name = "RestTransportError";
  }
}

export interface RestClientOptions {
  /** The catalog's base URI, e.g. `https://glue.us-east-1.amazonaws.com/iceberg`. */
  uri: string;
  authenticator: RequestAuthenticator;
  timeoutMs?: number;
  /** Sent with every request, e.g. X-Iceberg-Access-Delegation. */
  headers?: Record<string, string>;
  fetch?: typeof fetch;
}

export interface RestClient {
  send(call: RestCall): Promise<RestAnswer>;
}

const defaultTimeoutMs = 30_000;
/** 419: the token expired (some OAuth2 servers), like 401. */
const authenticationStatuses = new Set([401, 419]);

export function createRestClient(options: RestClientOptions): RestClient {
  const base = options.uri.replace(/\/+$/, "");
  const timeoutMs = options.timeoutMs ?? defaultTimeoutMs;
  const fetchImpl = options.fetch ?? fetch;

  async function attempt(call: RestCall): Promise<RestAnswer> {
    const query = call.query === undefined ? "" : `?${new URLSearchParams(call.query).toString()}`;
    const url = `${base}/${call.path}${query}`;
    const body = call.body === undefined ? undefined : stringifyExactJson(call.body);
    const headers: Record<string, string> = { Accept: "application/json", "User-Agent": "kafka-iceberg-export", ...options.headers };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    Object.assign(headers, await options.authenticator.headersFor({ method: call.method, url, headers: { ...headers }, ...(body === undefined ? {} : { body }) }));
    let response: Response;
    let text: string;
    try {
      response = await fetchImpl(url, { method: call.method, headers, signal: AbortSignal.timeout(timeoutMs), ...(body === undefined ? {} : { body }) });
      text = await response.text();
    } catch (error) {
      const what = isTimeout(error) ? `timed out after ${timeoutMs} ms` : `failed: ${describe(error)}`;
      throw new RestTransportError(call.operation, !isNotConnected(error), `${call.operation}: ${call.method} ${url} ${what}`, error);
    }
    return { status: response.status, body: parseBody(text, `${call.operation} answer`) };
  }

  return {
    async send(call) {
      const answer = await attempt(call);
      if (!authenticationStatuses.has(answer.status) || options.authenticator.invalidate === undefined) return answer;
      options.authenticator.invalidate();
      return attempt(call);
    },
  };
}

/** The spec's ErrorModel, as far as the answer has one. */
export interface RestErrorModel {
  type: string | undefined;
  message: string | undefined;
}

export function restErrorOf(answer: RestAnswer): RestErrorModel {
  const error = isJsonObject(answer.body) ? answer.body["error"] : undefined;
  if (!isJsonObject(error)) return { type: undefined, message: undefined };
  return { type: typeof error["type"] === "string" ? error["type"] : undefined, message: typeof error["message"] === "string" ? error["message"] : undefined };
}

/** "HTTP 409 CommitFailedException: <message>", for error messages. */
export function describeAnswer(answer: RestAnswer): string {
  const { type, message } = restErrorOf(answer);
  return `HTTP ${answer.status}${type === undefined ? "" : ` ${type}`}${message === undefined ? "" : `: ${message}`}`;
}

function parseBody(text: string, what: string): unknown {
  if (text.trim() === "") return undefined;
  try {
    return parseExactJson(text, what);
  } catch {
    return undefined;
  }
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  return error.cause instanceof Error ? `${error.message} (${error.cause.message})` : error.message;
}
