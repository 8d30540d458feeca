// The flags shared by commands. A flag that stands for a configuration setting has the same
// meaning as the environment variable of that setting (SPEC.md §5), so the CLI and the Lambda
// functions read one configuration. Secrets (passwords) are read from the environment only,
// so that they never appear in a process list or a shell history.
import type { OptionSpec, ParsedCommand } from "./command.js";

export const exportOptions: OptionSpec[] = [
  { name: "warehouse", type: "string", setting: "WAREHOUSE", valueName: "PATH|s3://BUCKET/PREFIX", description: "Where tables live: a local folder, or an S3 prefix (with --catalog rest: optional, the catalog chooses without it)" },
  { name: "catalog", type: "string", setting: "CATALOG", valueName: "local|glue|rest", description: "The Iceberg catalog", defaultText: "local for a local warehouse" },
  { name: "glue-database", type: "string", setting: "GLUE_DATABASE", valueName: "NAME", description: "The Glue database (with --catalog glue)" },
  { name: "namespace", type: "string", setting: "NAMESPACE", valueName: "NAME", description: "The namespace of tables in the local or REST catalog", defaultText: "kafka" },
  { name: "catalog-uri", type: "string", setting: "REST_CATALOG_URI", valueName: "URL", description: "The Iceberg REST catalog (with --catalog rest), e.g. https://s3tables.us-east-1.amazonaws.com/iceberg" },
  { name: "catalog-warehouse", type: "string", setting: "REST_CATALOG_WAREHOUSE", valueName: "NAME|ARN", description: "The warehouse asked of the REST catalog: an S3 Tables bucket ARN, a Glue catalog id, a Polaris catalog" },
  { name: "catalog-auth", type: "string", setting: "REST_CATALOG_AUTH", valueName: "none|bearer|oauth2|sigv4", description: "How to authenticate to the REST catalog (token: env REST_CATALOG_TOKEN; OAuth2 secret: env REST_CATALOG_OAUTH_CLIENT_SECRET)", defaultText: "sigv4 for AWS endpoints, else from the settings given" },
  { name: "catalog-oauth-client-id", type: "string", setting: "REST_CATALOG_OAUTH_CLIENT_ID", valueName: "ID", description: "OAuth2 client id for the REST catalog" },
  { name: "catalog-oauth-scope", type: "string", setting: "REST_CATALOG_OAUTH_SCOPE", valueName: "SCOPE", description: "OAuth2 scope", defaultText: "catalog" },
  { name: "catalog-signing-name", type: "string", setting: "REST_CATALOG_SIGNING_NAME", valueName: "glue|s3tables", description: "SigV4 service name", defaultText: "from the catalog URI" },
  { name: "catalog-signing-region", type: "string", setting: "REST_CATALOG_SIGNING_REGION", valueName: "REGION", description: "SigV4 region", defaultText: "from the catalog URI" },
  { name: "catalog-vended-credentials", type: "string", setting: "REST_CATALOG_VENDED_CREDENTIALS", valueName: "true|false", description: "Ask the REST catalog for credentials to the tables' files", defaultText: "false" },
  { name: "state-directory", type: "string", setting: "STATE_DIRECTORY", valueName: "PATH", description: "Local state folder", defaultText: "<warehouse>/_state for a local warehouse" },
  { name: "state-table", type: "string", setting: "STATE_TABLE", valueName: "NAME", description: "DynamoDB state table instead of local state" },
  { name: "schema-registry-url", type: "string", setting: "SCHEMA_REGISTRY_URL", valueName: "URL", description: "Confluent-compatible schema registry; without it values are exported as raw bytes (password: env SCHEMA_REGISTRY_PASSWORD)" },
  { name: "schema-registry-username", type: "string", setting: "SCHEMA_REGISTRY_USERNAME", valueName: "NAME", description: "Basic-auth user of the schema registry" },
  { name: "wire-format", type: "string", setting: "WIRE_FORMAT", valueName: "confluent|raw", description: "How values are framed", defaultText: "confluent" },
];

export const kafkaOptions: OptionSpec[] = [
  { name: "brokers", type: "string", setting: "KAFKA_BROKERS", valueName: "HOST:PORT,...", description: "Kafka bootstrap brokers" },
  { name: "kafka-client-id", type: "string", setting: "KAFKA_CLIENT_ID", valueName: "ID", description: "Kafka client id", defaultText: "kafka-iceberg-export" },
  { name: "kafka-ssl", type: "boolean", setting: "KAFKA_SSL", description: "TLS to the brokers (on by default with SASL)" },
  { name: "kafka-sasl-mechanism", type: "string", setting: "KAFKA_SASL_MECHANISM", valueName: "plain|scram-sha-256|scram-sha-512", description: "SASL mechanism (password: env KAFKA_SASL_PASSWORD)" },
  { name: "kafka-username", type: "string", setting: "KAFKA_SASL_USERNAME", valueName: "NAME", description: "SASL user" },
];

export const verboseOption: OptionSpec = { name: "verbose", type: "boolean", description: "Also print info logs, and the Kafka client's own log of its retries" };

export const commitOptions: OptionSpec[] = [
  { name: "commit-frequency-ms", type: "string", setting: "COMMIT_FREQUENCY_MS", valueName: "MS", description: "How often staged files become a snapshot", defaultText: "60000" },
  { name: "use-ingest-time", type: "boolean", setting: "USE_INGEST_TIME", description: "The timestamp column holds the ingest time instead of the event time" },
  { name: "target-file-size-bytes", type: "string", setting: "TARGET_FILE_SIZE_BYTES", valueName: "BYTES", description: "Small staged files of a partition are merged up to this size", defaultText: "134217728" },
];

export const maintenanceOptions: OptionSpec[] = [
  { name: "expire-snapshots", type: "string", setting: "MAINTAIN_EXPIRE_SNAPSHOTS", valueName: "true|false", description: "Expire snapshots (false for catalogs that maintain tables themselves)", defaultText: "true" },
  { name: "snapshot-max-age-ms", type: "string", setting: "SNAPSHOT_MAX_AGE_MS", valueName: "MS", description: "Snapshots older than this expire, for tables without history.expire.max-snapshot-age-ms", defaultText: "86400000" },
  { name: "compact", type: "string", setting: "MAINTAIN_COMPACT", valueName: "true|false", description: "Compact committed small files into files of the target size, as replace snapshots (false for catalogs that compact tables themselves)", defaultText: "true" },
  { name: "target-file-size-bytes", type: "string", setting: "TARGET_FILE_SIZE_BYTES", valueName: "BYTES", description: "Compaction writes files up to this size; files under 3/4 of it are small", defaultText: "134217728" },
  { name: "compaction-quiet-period-ms", type: "string", setting: "COMPACTION_QUIET_PERIOD_MS", valueName: "MS", description: "A partition with no new file for this long is closed: any two small files in it are compacted", defaultText: "3600000" },
  { name: "compaction-min-files", type: "string", setting: "COMPACTION_MIN_FILES", valueName: "N", description: "Small files a partition still written to needs before it is compacted", defaultText: "10" },
  { name: "compaction-max-bytes", type: "string", setting: "COMPACTION_MAX_BYTES_PER_PASS", valueName: "BYTES", description: "Input bytes one pass rewrites at most per table (a pass must end within the function's timeout)", defaultText: "536870912" },
  { name: "snapshot-min-keep", type: "string", setting: "SNAPSHOT_MIN_KEEP", valueName: "N", description: "Snapshots always kept, for tables without history.expire.min-snapshots-to-keep", defaultText: "10" },
  { name: "remove-orphans", type: "string", setting: "MAINTAIN_REMOVE_ORPHANS", valueName: "true|false", description: "Remove files under the table location that nothing references", defaultText: "true" },
  { name: "older-than", type: "string", setting: "ORPHAN_MIN_AGE", valueName: "DURATION", description: "Only files older than this are orphans (3d, 12h, 30m, ms)", defaultText: "3d" },
];

/**
 * The embedded default (SPEC.md §6): a local warehouse folder brings a local catalog and
 * local state under it unless others are configured. Relative folders are made absolute by
 * the runtime (withAbsoluteLocalPaths), as for the Lambda functions.
 */
export function withEmbeddedDefaults(command: ParsedCommand): ParsedCommand {
  const settings = { ...command.settings };
  // --namespace names the REST catalog's namespace too.
  if (settings["CATALOG"]?.trim().toLowerCase() === "rest" && settings["NAMESPACE"] !== undefined) settings["REST_CATALOG_NAMESPACE"] ??= settings["NAMESPACE"];
  const warehouse = settings["WAREHOUSE"]?.trim();
  if (warehouse !== undefined && warehouse !== "" && !warehouse.includes("://")) {
    settings["CATALOG"] ??= "local";
    if (settings["STATE_TABLE"] === undefined && settings["STATE_DIRECTORY"] === undefined) settings["STATE_DIRECTORY"] = `${warehouse.replace(/\/+$/, "")}/_state`;
  }
  return { ...command, settings };
}
