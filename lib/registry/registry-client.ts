// Reads schemas from a Confluent-compatible schema registry (the REST API described at
// https://docs.confluent.io/platform/current/schema-registry/develop/api.html), with the
// files of their references, so that a Protobuf schema can be compiled without further calls.
// The client never retries: callers wrap it in withRetry, which acts on `retryable`.
import { isTimeout } from "../core/network-errors.js";
import { isJsonObject } from "../core/json-object.js";
import { ExportError, UnavailableError } from "../core/errors.js";
import { hasUserInfo, withoutUserInfo } from "../core/url-credentials.js";
import { inSchemaContext } from "../schema/schema-mapping-error.js";

export type SchemaType = "PROTOBUF" | "AVRO" | "JSON";

/** A schema's import of another subject's version, under the name the schema imports it by. */
export interface SchemaReference {
  name: string;
  subject: string;
  version: number;
}

export interface ResolvedSchema {
  id: number;
  schemaType: SchemaType;
  schema: string;
  subject?: string;
  version?: number;
  references: SchemaReference[];
  /** Every import name reachable through `references`, transitively, to that file's text. */
  files: ReadonlyMap<string, string>;
}

export interface SchemaRegistryClient {
  schemaById(id: number): Promise<ResolvedSchema>;
  latestSchema(subject: string): Promise<ResolvedSchema>;
}

export interface SchemaRegistryClientOptions {
  url: string;
  basicAuth?: { username: string; password: string };
  timeoutMs?: number;
  /** How long a subject's latest version is trusted before it is asked for again. */
  refreshIntervalMs?: number;
  fetch?: typeof fetch;
  now?: () => number;
}

interface RegisteredSchema {
  schemaType: SchemaType;
  schema: string;
  references: SchemaReference[];
}

interface SubjectVersion extends RegisteredSchema {
  id: number;
  subject: string;
  version: number;
}

/** One GET against the registry: its path under the base URL, and what it asks for, in words. */
interface RegistryRequest {
  path: string;
  wanted: string;
}

const schemaTypes: readonly SchemaType[] = ["PROTOBUF", "AVRO", "JSON"];

export function createSchemaRegistryClient(options: SchemaRegistryClientOptions): SchemaRegistryClient {
  const now = options.now ?? Date.now;
  const getJson = createRegistryGet(options);
  const schemasById = createCache<ResolvedSchema>(Infinity, now);
  const latestBySubject = createCache<ResolvedSchema>(options.refreshIntervalMs ?? 300_000, now);
  const subjectVersions = createCache<SubjectVersion>(Infinity, now);

  async function subjectVersion(subject: string, version: number | "latest"): Promise<SubjectVersion> {
    const request = {
      path: `/subjects/${encodeURIComponent(subject)}/versions/${version}`,
      wanted: version === "latest" ? `the latest version of subject "${subject}"` : `version ${version} of subject "${subject}"`,
    };
    return parseSubjectVersion(await getJson(request), request);
  }

  function referencedVersion({ subject, version }: SchemaReference): Promise<SubjectVersion> {
    return subjectVersions(JSON.stringify([subject, version]), () => subjectVersion(subject, version));
  }

  // Breadth first, one import name once: diamonds share a file and cycles end.
  async function referencedFiles(references: readonly SchemaReference[]): Promise<Map<string, string>> {
    const files = new Map<string, string>();
    let pending = references;
    while (pending.length > 0) {
      const unseen = new Map<string, SchemaReference>();
      for (const reference of pending) if (!files.has(reference.name) && !unseen.has(reference.name)) unseen.set(reference.name, reference);
      const loaded = await Promise.all([...unseen.values()].map(async (reference) => ({ reference, file: await referencedVersion(reference) })));
      for (const { reference, file } of loaded) files.set(reference.name, file.schema);
      pending = loaded.flatMap(({ file }) => file.references);
    }
    return files;
  }

  async function resolve(registered: RegisteredSchema, identity: { id: number; subject?: string; version?: number }): Promise<ResolvedSchema> {
    const { schemaType, schema, references } = registered;
    return { ...identity, schemaType, schema, references, files: await referencedFiles(references) };
  }

  function schemaById(id: number): Promise<ResolvedSchema> {
    return schemasById(id, async () => {
      const request = { path: `/schemas/ids/${id}`, wanted: `schema id ${id}` };
      return resolve(parseRegisteredSchema(await getJson(request), request), { id });
    });
  }

  function latestSchema(subject: string): Promise<ResolvedSchema> {
    return latestBySubject(subject, async () => {
      const latest = await subjectVersion(subject, "latest");
      try {
        return await resolve(latest, { id: latest.id, subject: latest.subject, version: latest.version });
      } catch (error) {
        throw inSchemaContext(`the references of version ${latest.version} of subject "${subject}"`, error);
      }
    });
  }

  return { schemaById, latestSchema };
}

/** Loads in flight or done, shared by concurrent callers; a failed load is forgotten at once. */
function createCache<V>(ttlMs: number, now: () => number): (key: string | number, load: () => Promise<V>) => Promise<V> {
  const entries = new Map<string | number, { loadedAt: number; value: Promise<V> }>();
  return function cached(key, load) {
    const entry = entries.get(key);
    if (entry !== undefined && now() - entry.loadedAt < ttlMs) return entry.value;
    const value = load();
    entries.set(key, { loadedAt: now(), value });
    void value.catch(() => {
      if (entries.get(key)?.value === value) entries.delete(key);
    });
    return value;
  };
}

function createRegistryGet(options: SchemaRegistryClientOptions): (request: RegistryRequest) => Promise<Record<string, unknown>> {
  const baseUrl = options.url.replace(/\/+$/, "");
  const timeoutMs = options.timeoutMs ?? 10_000;
  const fetchImpl = options.fetch ?? fetch;
  const username = options.basicAuth?.username;
  const headers: Record<string, string> = { Accept: "application/vnd.schemaregistry.v1+json, application/json" };
  if (options.basicAuth !== undefined) {
    const { password } = options.basicAuth;
    headers["Authorization"] = `Basic ${Buffer.from(`${username}:${password}`).toString("base64")}`;
  }

  async function unavailableOnFailure<T>(request: RegistryRequest, step: () => Promise<T>): Promise<T> {
    try {
      return await step();
    } catch (error) {
      const what = isTimeout(error) ? `timed out after ${timeoutMs} ms` : `failed: ${errorSummary(error)}`;
      // A cause that shows a URL with credentials is not kept: loggers print causes.
      const cause = error instanceof Error && hasUserInfo(`${error.message} ${String(error.cause)}`) ? undefined : error;
      throw new UnavailableError("REGISTRY_UNAVAILABLE", `${request.wanted}: schema registry request GET ${request.path} ${what}`, cause);
    }
  }

  return async function getJson(request) {
    const signal = AbortSignal.timeout(timeoutMs);
    const response = await unavailableOnFailure(request, () => fetchImpl(`${baseUrl}${request.path}`, { headers, signal }));
    if (!response.ok) throw failureFor(response.status, await registryErrorDetail(response), request, username);
    const text = await unavailableOnFailure(request, () => response.text());
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch (error) {
      throw new ExportError("CONFIGURATION", `${request.wanted}: schema registry answered GET ${request.path} with a body that is not JSON; is the URL the registry's API?`, { cause: error });
    }
    if (!isJsonObject(body)) throw malformed(request, "not a JSON object");
    return body;
  };
}

function failureFor(status: number, detail: string, request: RegistryRequest, username: string | undefined): ExportError {
  const answered = `schema registry answered GET ${request.path} with HTTP ${status}${detail}`;
  if (status >= 500 || status === 429) return new UnavailableError("REGISTRY_UNAVAILABLE", `${request.wanted}: ${answered}`);
  if (status === 404) return new ExportError("SCHEMA_NOT_FOUND", `${request.wanted} not found: ${answered}`);
  if (status === 401 || status === 403) {
    const credentials = username === undefined ? "no credentials were given" : `the credentials of user "${username}" were rejected`;
    return new ExportError("CONFIGURATION", `schema registry refused ${request.wanted}: ${credentials} (${answered})`);
  }
  return new ExportError("CONFIGURATION", `${request.wanted}: ${answered}; is the URL a Confluent-compatible schema registry API?`);
}

/** The registry's own error code and message, when the body carries them (Confluent's error shape). */
async function registryErrorDetail(response: Response): Promise<string> {
  try {
    const body = JSON.parse(await response.text()) as unknown;
    if (isJsonObject(body) && typeof body["error_code"] === "number") return ` (error_code ${body["error_code"]}: ${String(body["message"])})`;
  } catch {
    // An unreadable error body leaves the status alone to explain the failure.
  }
  return "";
}

function parseRegisteredSchema(body: Record<string, unknown>, request: RegistryRequest): RegisteredSchema {
  const { schema, references } = body;
  // Confluent leaves schemaType out for Avro, its original and default type.
  const schemaType = body["schemaType"] ?? "AVRO";
  if (typeof schema !== "string") throw malformed(request, 'no "schema" string');
  if (!isSchemaType(schemaType)) throw malformed(request, `unknown schemaType ${JSON.stringify(schemaType)}`);
  return { schemaType, schema, references: parseReferences(references, request) };
}

function parseSubjectVersion(body: Record<string, unknown>, request: RegistryRequest): SubjectVersion {
  const { id, subject, version } = body;
  if (!isNonNegativeInteger(id) || typeof subject !== "string" || !isNonNegativeInteger(version)) throw malformed(request, "no id, subject and version");
  return { ...parseRegisteredSchema(body, request), id, subject, version };
}

function parseReferences(value: unknown, request: RegistryRequest): SchemaReference[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw malformed(request, '"references" is not a list');
  return value.map((reference: unknown) => {
    const { name, subject, version } = isJsonObject(reference) ? reference : {};
    if (typeof name !== "string" || typeof subject !== "string" || !isNonNegativeInteger(version)) {
      throw malformed(request, `reference ${JSON.stringify(reference)} lacks a name, subject or version`);
    }
    return { name, subject, version };
  });
}

function malformed(request: RegistryRequest, problem: string): ExportError {
  return new ExportError("CONFIGURATION", `${request.wanted}: schema registry answered GET ${request.path} with a malformed body: ${problem}`);
}

function isSchemaType(value: unknown): value is SchemaType {
  return schemaTypes.some((schemaType) => schemaType === value);
}


function isNonNegativeInteger(value: unknown): value is number {
  return typeof value === "number" && Number.isInteger(value) && value >= 0;
}

// Without user info: Node's fetch names a URL that holds credentials in its message.
function errorSummary(error: unknown): string {
  if (!(error instanceof Error)) return withoutUserInfo(String(error));
  // Node's fetch says only "fetch failed" and keeps the reason (ECONNREFUSED, ...) in `cause`.
  return withoutUserInfo(error.cause instanceof Error ? `${error.message} (${error.cause.message})` : error.message);
}
