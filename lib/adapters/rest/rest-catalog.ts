// The Catalog on an Iceberg REST catalog (open-api/rest-catalog-open-api.yaml): Glue's and
// S3 Tables' REST endpoints, Polaris, Nessie, Lakekeeper, Unity, Gravitino, BigLake and
// Apache Iceberg's own server. The server writes every metadata file: a commit sends the
// updates and requirements, and the server applies them iff the requirements hold. The
// catalog's configuration (GET /v1/config) is read once, before the first other call, for
// the path prefix every later route carries.
import type { Catalog, LoadedTable, TableCommit, TableIdentifier } from "../../catalog/catalog.js";
import { CommitStateUnknownError } from "../../catalog/commit-outcome.js";
import { isS3TablesWarehouse } from "../../catalog/s3-tables.js";
import { CommitConflictError, ConfigurationError, ExportError, UnavailableError } from "../../core/errors.js";
import { isJsonObject } from "../../core/json-object.js";
import { tableMetadataFromJson } from "../../iceberg/metadata-json.js";
import type { TableMetadata } from "../../iceberg/table-metadata.js";
import type { RequestAuthenticator } from "./request-authenticator.js";
import { createRestClient, describeAnswer, restErrorOf, RestTransportError, type RestAnswer, type RestCall } from "./rest-client.js";
import { catalogPaths, type CatalogPaths } from "./rest-paths.js";

export interface RestCatalogOptions {
  /** REST_CATALOG_URI, e.g. `https://s3tables.us-east-1.amazonaws.com/iceberg`. */
  uri: string;
  /** The `warehouse` the catalog is asked for (an S3 Tables table bucket's ARN, a Polaris catalog's name). */
  warehouse: string | undefined;
  authenticator: RequestAuthenticator;
  /** Ask the catalog for credentials to the table's files (X-Iceberg-Access-Delegation). */
  vendedCredentials?: boolean;
  timeoutMs?: number;
  fetch?: typeof fetch;
}

/** The catalog's configuration: its defaults, under our settings, under its overrides. */
export interface RestCatalogConfig {
  properties: Record<string, string>;
}

export function createRestCatalog(options: RestCatalogOptions): Catalog & { config(): Promise<RestCatalogConfig> } {
  const client = createRestClient({
    uri: options.uri,
    authenticator: options.authenticator,
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
    ...(options.vendedCredentials === true ? { headers: { "X-Iceberg-Access-Delegation": "vended-credentials" } } : {}),
  });
  const s3Tables = isS3TablesWarehouse(options.warehouse);
  let configured: Promise<{ config: RestCatalogConfig; paths: CatalogPaths }> | undefined;

  function configure(): Promise<{ config: RestCatalogConfig; paths: CatalogPaths }> {
    configured ??= readConfig().catch((error: unknown) => {
      // Not cached: the next call asks again.
      configured = undefined;
      throw error;
    });
    return configured;
  }

  async function readConfig(): Promise<{ config: RestCatalogConfig; paths: CatalogPaths }> {
    const call: RestCall = { method: "GET", path: "v1/config", operation: "REST catalog GET /v1/config", ...(options.warehouse === undefined ? {} : { query: { warehouse: options.warehouse } }) };
    const answer = await send(call);
    if (answer.status !== 200) throw failure(call, answer);
    const body = isJsonObject(answer.body) ? answer.body : {};
    const ours: Record<string, string> = options.warehouse === undefined ? {} : { warehouse: options.warehouse };
    const properties: Record<string, string> = { ...stringsOf(body["defaults"]), ...ours, ...stringsOf(body["overrides"]) };
    return { config: { properties }, paths: catalogPaths(properties["prefix"]) };
  }

  async function send(call: RestCall): Promise<RestAnswer> {
    try {
      return await client.send(call);
    } catch (error) {
      if (error instanceof RestTransportError) throw new UnavailableError("STORAGE_UNAVAILABLE", error.message, error);
      throw error;
    }
  }

  async function loadTable(identifier: TableIdentifier): Promise<LoadedTable | undefined> {
    checkIdentifier(identifier);
    const { paths } = await configure();
    const call: RestCall = { method: "GET", path: paths.table(identifier), operation: `REST catalog load table ${describeTable(identifier)}` };
    const answer = await send(call);
    if (answer.status === 404) return undefined;
    if (answer.status !== 200) throw failure(call, answer);
    return loadedFrom(identifier, answer, call);
  }

  async function ensureNamespace(namespace: string, paths: CatalogPaths): Promise<void> {
    const check: RestCall = { method: "GET", path: paths.namespace(namespace), operation: `REST catalog load namespace ${namespace}` };
    const found = await send(check);
    if (found.status === 200) return;
    if (found.status !== 404) throw failure(check, found);
    const create: RestCall = { method: "POST", path: paths.namespaces(), body: { namespace: [namespace], properties: {} }, operation: `REST catalog create namespace ${namespace}` };
    const created = await send(create);
    // 409: another creator won the race; the namespace is there, which is all that is needed.
    if (created.status !== 200 && created.status !== 409) throw failure(create, created);
  }

  async function createTable(identifier: TableIdentifier, metadata: TableMetadata): Promise<LoadedTable> {
    checkIdentifier(identifier);
    const { paths } = await configure();
    await ensureNamespace(identifier.namespace, paths);
    const call: RestCall = { method: "POST", path: paths.tables(identifier.namespace), body: createTableRequest(identifier, metadata, s3Tables), operation: `REST catalog create table ${describeTable(identifier)}` };
    const answer = await send(call);
    if (answer.status === 409) throw new ExportError("TABLE_EXISTS", `table ${describeTable(identifier)} already exists in the REST catalog; load it instead (${describeAnswer(answer)})`);
    if (answer.status !== 200) throw failure(call, answer);
    const created = loadedFrom(identifier, answer, call);
    checkSchemaKept(created, metadata);
    return created;
  }

  async function commitTable(base: LoadedTable, commit: TableCommit): Promise<LoadedTable> {
    const { identifier } = base;
    const { paths } = await configure();
    const table = describeTable(identifier);
    const call: RestCall = {
      method: "POST",
      path: paths.table(identifier),
      body: { identifier: { namespace: [identifier.namespace], name: identifier.name }, requirements: commit.requirements, updates: commit.updates },
      operation: `REST catalog commit to ${table}`,
    };
    let answer: RestAnswer;
    try {
      answer = await client.send(call);
    } catch (error) {
      if (!(error instanceof RestTransportError)) throw error;
      if (!error.maybeReceived) throw new UnavailableError("STORAGE_UNAVAILABLE", error.message, error);
      throw new CommitStateUnknownError(undefined, `${error.message}, after the commit may have been applied; reload the table and look for the commit`, error);
    }
    if (answer.status === 200) return loadedFrom(identifier, answer, call);
    throw commitFailure(call, answer, table);
  }

  function checkIdentifier(identifier: TableIdentifier): void {
    if (!s3Tables) return;
    // S3 Tables: one namespace level, and names of lower case letters, digits and underscores.
    for (const [what, name] of [["namespace", identifier.namespace], ["table name", identifier.name]] as const) {
      if (!/^[a-z0-9_]+$/.test(name)) {
        throw new ConfigurationError(what === "namespace" ? "REST_CATALOG_NAMESPACE" : "--table", `S3 Tables takes only lower case letters, digits and underscores in a ${what}, got '${name}'`);
      }
    }
  }

  return { loadTable, createTable, commitTable, config: async () => (await configure()).config };
}

// The spec's CreateTableRequest. The location is left to the catalog when the metadata has
// none, and always for S3 Tables, which assigns every table's location itself.
function createTableRequest(identifier: TableIdentifier, metadata: TableMetadata, s3Tables: boolean): Record<string, unknown> {
  const schema = metadata.schemas.find((candidate) => candidate["schema-id"] === metadata["current-schema-id"]);
  const spec = metadata["partition-specs"].find((candidate) => candidate["spec-id"] === metadata["default-spec-id"]);
  const order = metadata["sort-orders"].find((candidate) => candidate["order-id"] === metadata["default-sort-order-id"]);
  if (schema === undefined) throw new ExportError("INTERNAL", `create ${describeTable(identifier)}: the metadata has no current schema`);
  return {
    name: identifier.name,
    ...(metadata.location === "" || s3Tables ? {} : { location: metadata.location }),
    schema,
    ...(spec === undefined ? {} : { "partition-spec": spec }),
    ...(order === undefined ? {} : { "write-order": order }),
    properties: { ...metadata.properties, "format-version": String(metadata["format-version"]) },
  };
}

/**
 * The ids of the schema's fields are what the export's schema state and every data file it
 * writes name columns by; a server assigns fresh ones on create (the spec lets it), in the
 * order Iceberg-Java does, which is the order ours follow. Should a server number them
 * otherwise, nothing can be written safely: refuse before the first file is.
 */
function checkSchemaKept(created: LoadedTable, requested: TableMetadata): void {
  const asCreated = created.metadata.schemas.find((schema) => schema["schema-id"] === created.metadata["current-schema-id"]);
  const asRequested = requested.schemas.find((schema) => schema["schema-id"] === requested["current-schema-id"]);
  if (canonicalJson(asCreated?.fields) === canonicalJson(asRequested?.fields)) return;
  throw new ExportError(
    "INTERNAL",
    `the REST catalog created ${describeTable(created.identifier)} with other field ids than requested (${JSON.stringify(asCreated?.fields).slice(0, 300)}); the export cannot write it. Drop the table and report this catalog`,
  );
}

function loadedFrom(identifier: TableIdentifier, answer: RestAnswer, call: RestCall): LoadedTable {
  const body = isJsonObject(answer.body) ? answer.body : undefined;
  const metadataLocation = body?.["metadata-location"];
  if (body === undefined || typeof metadataLocation !== "string" || !isJsonObject(body["metadata"])) {
    throw new ExportError("INTERNAL", `${call.operation}: the answer has no metadata-location and metadata`);
  }
  const metadata = tableMetadataFromJson(body["metadata"], metadataLocation);
  return { identifier, metadataLocation, metadata, version: metadataLocation };
}

/** What a commit's failure means (the spec's responses of updateTable). */
function commitFailure(call: RestCall, answer: RestAnswer, table: string): ExportError {
  const detail = describeAnswer(answer);
  if (answer.status === 409) return new CommitConflictError(`${call.operation}: the table no longer meets the commit's requirements (${detail}); reload and re-apply`);
  if (answer.status === 404) return new ExportError("NOT_FOUND", `${call.operation}: the table or its namespace no longer exists (${detail})`);
  // 500, 502, 503 and 504 may come after the server applied the commit (spec: CommitStateUnknownException).
  if ([500, 502, 503, 504].includes(answer.status)) {
    return new CommitStateUnknownError(undefined, `${call.operation} answered ${detail}, after which the commit may have been applied; reload ${table} and look for the commit`);
  }
  return failure(call, answer);
}

/** Any other refusal: transient ones retryable, the rest named for the operator. */
function failure(call: RestCall, answer: RestAnswer): ExportError {
  const detail = describeAnswer(answer);
  const { type } = restErrorOf(answer);
  if (answer.status === 429 || answer.status >= 500) return new UnavailableError("STORAGE_UNAVAILABLE", `${call.operation}: ${detail}; retry later`);
  if (answer.status === 401 || answer.status === 403 || answer.status === 419) {
    return new ExportError("CONFIGURATION", `${call.operation}: the catalog refused our credentials or permissions (${detail}); check REST_CATALOG_AUTH and its settings, and the principal's grants`);
  }
  if (answer.status === 404) return new ExportError("NOT_FOUND", `${call.operation}: ${detail}`);
  return new ExportError(type === "NoSuchWarehouseException" ? "CONFIGURATION" : "INTERNAL", `${call.operation}: the catalog refused the request (${detail})`);
}

/** JSON with object keys in order, so that two servers' key orders compare equal. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, entry: unknown) => (isJsonObject(entry) ? Object.fromEntries(Object.entries(entry).sort(([a], [b]) => a.localeCompare(b))) : entry));
}

function stringsOf(value: unknown): Record<string, string> {
  if (!isJsonObject(value)) return {};
  return Object.fromEntries(Object.entries(value).filter((entry): entry is [string, string] => typeof entry[1] === "string"));
}

function describeTable(identifier: TableIdentifier): string {
  return `${identifier.namespace}.${identifier.name}`;
}
