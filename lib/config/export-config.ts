// The one typed configuration (SPEC.md §5), parsed from a flat map of settings: the Lambda
// environment, or the CLI's flags mapped to the same names. Every problem names the setting.
import { ConfigurationError } from "../core/errors.js";
import { hasUserInfo, withoutUserInfo } from "../core/url-credentials.js";
import { parseRestCatalogAuth, type RestCatalogAuth } from "./rest-catalog-auth.js";
import { boolean, oneOf, optional, positiveInteger, required, type Settings } from "./settings.js";

export type { Settings };
import type { WireFormat } from "../decode/value-decoder.js";

export interface SchemaRegistrySettings {
  url: string;
  basicAuth?: { username: string; password: string };
  timeoutMs: number;
  /** How long a fetched schema is used before the registry is asked again. */
  refreshIntervalMs: number;
}

export interface TopicSettings {
  /** The value subject; `<topic>-value` when not configured. */
  valueSubject?: string;
  messageName?: string;
}

export type CatalogSettings =
  | { type: "glue"; database: string }
  | { type: "local" }
  | { type: "rest"; uri: string; warehouse: string | undefined; namespace: string; auth: RestCatalogAuth; vendedCredentials: boolean };

export type StateSettings = { type: "dynamodb"; tableName: string } | { type: "local"; directory: string };

export interface ExportConfig {
  commitFrequencyMs: number;
  useIngestTime: boolean;
  schemaRegistry: SchemaRegistrySettings | undefined;
  wireFormat: WireFormat;
  /**
   * `s3://bucket/prefix` or a local folder. Undefined only with a REST catalog that chooses
   * each table's location itself (S3 Tables always does): tables are then where it puts them.
   */
  warehouse: string | undefined;
  catalog: CatalogSettings;
  state: StateSettings;
  topics: Record<string, TopicSettings>;
  /** Staged files of one table partition are merged up to this size before commit. */
  targetFileSizeBytes: number;
  /** Staged files older than this are committed even when small. */
  maxStagedAgeMs: number;
  /** Tables one commit round commits at once. */
  commitConcurrency: number;
  /**
   * Whether a topic whose export record does not choose keeps its invalid records in a
   * dead-letter table (lib/dead-letters/); `enable --dead-letters` chooses per topic.
   */
  deadLetters: boolean;
}

export const settingNames = {
  commitFrequencyMs: "COMMIT_FREQUENCY_MS",
  useIngestTime: "USE_INGEST_TIME",
  registryUrl: "SCHEMA_REGISTRY_URL",
  registryUsername: "SCHEMA_REGISTRY_USERNAME",
  registryPassword: "SCHEMA_REGISTRY_PASSWORD",
  /** A Secrets Manager secret with the registry's username and password, read by lib/runtime/registry-credentials.ts. */
  registrySecretArn: "SCHEMA_REGISTRY_SECRET_ARN",
  registryTimeoutMs: "SCHEMA_REGISTRY_TIMEOUT_MS",
  schemaRefreshIntervalMs: "SCHEMA_REFRESH_INTERVAL_MS",
  valueSubjects: "VALUE_SUBJECTS",
  valueMessages: "VALUE_MESSAGES",
  wireFormat: "WIRE_FORMAT",
  warehouse: "WAREHOUSE",
  catalog: "CATALOG",
  glueDatabase: "GLUE_DATABASE",
  restCatalogUri: "REST_CATALOG_URI",
  restCatalogWarehouse: "REST_CATALOG_WAREHOUSE",
  restCatalogNamespace: "REST_CATALOG_NAMESPACE",
  restCatalogVendedCredentials: "REST_CATALOG_VENDED_CREDENTIALS",
  stateTable: "STATE_TABLE",
  stateDirectory: "STATE_DIRECTORY",
  targetFileSizeBytes: "TARGET_FILE_SIZE_BYTES",
  maxStagedAgeMs: "MAX_STAGED_AGE_MS",
  commitConcurrency: "COMMIT_CONCURRENCY",
  deadLetters: "DEAD_LETTERS",
} as const;

/** Data files are merged and compacted up to this size. */
export const defaultTargetFileSizeBytes = 128 * 1024 * 1024;

export function parseExportConfig(settings: Settings): ExportConfig {
  // A REST catalog may choose where each table lives; the others need our warehouse.
  const isRest = optional(settings, settingNames.catalog)?.toLowerCase() === "rest";
  const warehouse = isRest ? optional(settings, settingNames.warehouse) : required(settings, settingNames.warehouse);
  if (warehouse !== undefined && !warehouse.startsWith("s3://") && warehouse.includes("://")) {
    throw new ConfigurationError(settingNames.warehouse, `must be s3://bucket/prefix or a local folder, got '${warehouse}'`);
  }
  return {
    commitFrequencyMs: positiveInteger(settings, settingNames.commitFrequencyMs, 60_000),
    useIngestTime: boolean(settings, settingNames.useIngestTime, false),
    schemaRegistry: schemaRegistrySettings(settings),
    wireFormat: oneOf(settings, settingNames.wireFormat, ["confluent", "raw"], "confluent"),
    warehouse: warehouse?.replace(/\/+$/, ""),
    catalog: catalogSettings(settings),
    state: stateSettings(settings),
    topics: topicSettings(settings),
    targetFileSizeBytes: positiveInteger(settings, settingNames.targetFileSizeBytes, defaultTargetFileSizeBytes),
    maxStagedAgeMs: positiveInteger(settings, settingNames.maxStagedAgeMs, 15 * 60_000),
    commitConcurrency: positiveInteger(settings, settingNames.commitConcurrency, 4),
    deadLetters: boolean(settings, settingNames.deadLetters, false),
  };
}

function schemaRegistrySettings(settings: Settings): SchemaRegistrySettings | undefined {
  const url = optional(settings, settingNames.registryUrl);
  if (url === undefined) return undefined;
  if (hasUserInfo(url)) {
    throw new ConfigurationError(
      settingNames.registryUrl,
      `must not hold credentials ('${withoutUserInfo(url)}' with a user name or password before '@'): set ${settingNames.registryUsername} and ${settingNames.registryPassword}, or ${settingNames.registrySecretArn}, and give the URL without them`,
    );
  }
  if (!/^https?:\/\/[^/]/.test(url)) throw new ConfigurationError(settingNames.registryUrl, `must be an http(s) URL, got '${withoutUserInfo(url)}'`);
  const username = optional(settings, settingNames.registryUsername);
  const password = optional(settings, settingNames.registryPassword);
  if ((username === undefined) !== (password === undefined)) {
    const missing = username === undefined ? settingNames.registryUsername : settingNames.registryPassword;
    throw new ConfigurationError(missing, "is required when the other schema registry credential is set");
  }
  return {
    url,
    ...(username !== undefined && password !== undefined ? { basicAuth: { username, password } } : {}),
    timeoutMs: positiveInteger(settings, settingNames.registryTimeoutMs, 10_000),
    refreshIntervalMs: positiveInteger(settings, settingNames.schemaRefreshIntervalMs, 300_000),
  };
}

function catalogSettings(settings: Settings): CatalogSettings {
  const type = oneOf(settings, settingNames.catalog, ["glue", "local", "rest"], undefined);
  if (type === "local") return { type };
  if (type === "rest") return restCatalogSettings(settings);
  return { type, database: required(settings, settingNames.glueDatabase) };
}

function restCatalogSettings(settings: Settings): CatalogSettings {
  const uri = required(settings, settingNames.restCatalogUri).replace(/\/+$/, "");
  if (hasUserInfo(uri)) {
    throw new ConfigurationError(settingNames.restCatalogUri, `must not hold credentials ('${withoutUserInfo(uri)}' with a user name or password before '@'): set REST_CATALOG_AUTH and its settings, and give the URL without them`);
  }
  if (!/^https?:\/\/[^/]/.test(uri)) throw new ConfigurationError(settingNames.restCatalogUri, `must be an http(s) URL, got '${uri}'`);
  const namespace = optional(settings, settingNames.restCatalogNamespace) ?? "kafka";
  if (namespace.includes(".") || namespace.includes("\u001f")) {
    throw new ConfigurationError(settingNames.restCatalogNamespace, `must be a single namespace level, got '${namespace}'`);
  }
  return {
    type: "rest",
    uri,
    warehouse: optional(settings, settingNames.restCatalogWarehouse),
    namespace,
    auth: parseRestCatalogAuth(settings, uri),
    vendedCredentials: boolean(settings, settingNames.restCatalogVendedCredentials, false),
  };
}

function stateSettings(settings: Settings): StateSettings {
  const tableName = optional(settings, settingNames.stateTable);
  const directory = optional(settings, settingNames.stateDirectory);
  if (tableName !== undefined && directory !== undefined) {
    throw new ConfigurationError(settingNames.stateTable, `set either ${settingNames.stateTable} (DynamoDB) or ${settingNames.stateDirectory} (local), not both`);
  }
  if (tableName !== undefined) return { type: "dynamodb", tableName };
  if (directory !== undefined) return { type: "local", directory };
  throw new ConfigurationError(settingNames.stateTable, `is required (or ${settingNames.stateDirectory} for local state)`);
}

// "orders=orders-value,clicks=clicks-proto-value": per-topic overrides of subject and message.
function topicSettings(settings: Settings): Record<string, TopicSettings> {
  const topics: Record<string, TopicSettings> = {};
  for (const [topic, valueSubject] of topicPairs(settings, settingNames.valueSubjects)) topics[topic] = { ...topics[topic], valueSubject };
  for (const [topic, messageName] of topicPairs(settings, settingNames.valueMessages)) topics[topic] = { ...topics[topic], messageName };
  return topics;
}

function topicPairs(settings: Settings, name: string): [string, string][] {
  const text = optional(settings, name);
  if (text === undefined) return [];
  return text
    .split(",")
    .map((entry) => entry.trim())
    .filter((entry) => entry !== "")
    .map((entry) => {
      const equals = entry.indexOf("=");
      const topic = entry.slice(0, equals).trim();
      const value = entry.slice(equals + 1).trim();
      if (equals <= 0 || topic === "" || value === "") throw new ConfigurationError(name, `expected topic=value pairs separated by commas, got '${entry}'`);
      return [topic, value];
    });
}
