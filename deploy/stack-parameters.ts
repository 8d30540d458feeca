// The deployable stack's parameters (serverless.yml `params`, or `--param "name=value"`),
// parsed and checked at package time so that a wrong value fails `npm run package` with a
// message naming the parameter instead of failing a CloudFormation deployment later.
import { ConfigurationError } from "../lib/core/errors.js";
import { hasUserInfo, withoutUserInfo } from "../lib/core/url-credentials.js";
import { parseCatalogParameters, catalogParameterNames, type CatalogParameters } from "./rest-catalog-parameters.js";
import { arn, fraction, integer, list, oneOf, optional, optionalField, optionalInteger, requiredSecretArn, secretArn, type RawParameters } from "./parameter-readers.js";

export type Partitioning = "hour" | "day" | "month" | "year" | "none";

export type MskAuth = { type: "iam" } | { type: "sasl-scram-512"; secretArn: string };

export type SelfManagedAuth =
  | { type: "none" }
  | { type: "sasl-scram-512" | "sasl-scram-256" | "sasl-plain" | "mtls"; secretArn: string };

export type KafkaSource =
  | { type: "msk"; clusterArn: string; auth: MskAuth }
  | {
      type: "self-managed";
      bootstrapServers: string[];
      auth: SelfManagedAuth;
      /** A Secrets Manager secret with the brokers' root CA certificate, for a private CA. */
      rootCaSecretArn?: string;
      /** Set when the brokers are reachable only from a VPC; both or neither. */
      vpc?: { subnetIds: string[]; securityGroupIds: string[] };
    };

/**
 * What the event source mapping does with a batch the function fails (docs/deploy.md,
 * "When a batch fails"). Retry attempts and bisecting exist for Kafka sources in
 * provisioned mode only; the on-failure destination in both modes.
 */
export interface FailureHandling {
  /** An SQS queue, SNS topic or S3 bucket that receives what the event source gives up on. */
  onFailureDestinationArn?: string;
  /** Provisioned mode: dedicated pollers, and with them retry limits and bisecting. */
  provisioned?: {
    minimumPollers: number;
    maximumPollers: number;
    /** -1: until the batch succeeds (AWS caps it at 10 when an on-failure destination is set). */
    maximumRetryAttempts: number;
    bisectBatchOnFunctionError: boolean;
  };
}

export interface StackParameters {
  kafka: KafkaSource;
  failureHandling: FailureHandling;
  topics: string[];
  consumerGroup: string;
  /** Records per batch, at most 10,000 (the event source's limit). */
  batchSize: number;
  /** Seconds the event source waits to fill a batch, at most 300. */
  batchingWindowSeconds: number;
  /** A customer managed KMS key that encrypts the secrets; AWS managed keys need no grant. */
  secretsKmsKeyArn?: string;
  schemaRegistryUrl?: string;
  /** Secret holding `{"username": ..., "password": ...}` for the registry's basic auth. */
  schemaRegistrySecretArn?: string;
  valueSubjects?: string;
  valueMessages?: string;
  wireFormat: "confluent" | "raw";
  /** Empty: CloudFormation names the bucket. */
  warehouseBucketName?: string;
  warehousePrefix: string;
  /** S3 versioning of the warehouse bucket: a deleted or overwritten object stays recoverable. */
  warehouseVersioning: boolean;
  /** Days a noncurrent (deleted or overwritten) object version is kept before it expires. */
  noncurrentVersionDays: number;
  /** Used with catalog=glue. */
  glueDatabase: string;
  /** The Glue Data Catalog (the default) or an Iceberg REST catalog. */
  catalog: CatalogParameters;
  commitFrequencyMs: number;
  partitioning: Partitioning;
  useIngestTime: boolean;
  /** DEAD_LETTERS: topics whose export does not choose keep their invalid records (SPEC.md §9). */
  deadLetters: boolean;
  targetFileSizeBytes?: number;
  ingestMemoryMb: number;
  ingestTimeoutSeconds: number;
  ingestReservedConcurrency?: number;
  commitMemoryMb: number;
  /** Tables one commit round commits at once (COMMIT_CONCURRENCY). */
  commitConcurrency: number;
  /** The maintain function (SPEC.md §8): its schedule, memory and which parts run. */
  maintenance: {
    schedule: string;
    memoryMb: number;
    expireSnapshots: boolean;
    compact: boolean;
    removeOrphans: boolean;
  };
  logRetentionDays: number;
  alarmTopicArn?: string;
  backlogAgeAlarmMs: number;
  invalidRecordRateAlarm: number;
}

export type { RawParameters } from "./parameter-readers.js";

/** The names users write in `--param`, one per field above. */
export const parameterNames = [
  "kafkaSource",
  "mskClusterArn",
  "mskAuth",
  "mskSecretArn",
  "bootstrapServers",
  "kafkaAuth",
  "kafkaAuthSecretArn",
  "kafkaRootCaSecretArn",
  "kafkaSubnetIds",
  "kafkaSecurityGroupIds",
  "topics",
  "consumerGroup",
  "batchSize",
  "batchingWindowSeconds",
  "onFailureDestinationArn",
  "provisionedMinimumPollers",
  "provisionedMaximumPollers",
  "maximumRetryAttempts",
  "bisectBatchOnFunctionError",
  "secretsKmsKeyArn",
  "schemaRegistryUrl",
  "schemaRegistrySecretArn",
  "valueSubjects",
  "valueMessages",
  "wireFormat",
  "warehouseBucketName",
  "warehousePrefix",
  "warehouseVersioning",
  "noncurrentVersionDays",
  "glueDatabase",
  ...catalogParameterNames,
  "commitFrequencyMs",
  "partitioning",
  "useIngestTime",
  "deadLetters",
  "targetFileSizeBytes",
  "ingestMemoryMb",
  "ingestTimeoutSeconds",
  "ingestReservedConcurrency",
  "commitMemoryMb",
  "commitConcurrency",
  "maintainSchedule",
  "maintainMemoryMb",
  "maintainExpireSnapshots",
  "maintainCompact",
  "maintainRemoveOrphans",
  "logRetentionDays",
  "alarmTopicArn",
  "backlogAgeAlarmMs",
  "invalidRecordRateAlarm",
] as const;

// Values CloudWatch Logs accepts for a log group's retention.
const logRetentionValues = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];

export function parseStackParameters(raw: RawParameters, defaults: { consumerGroup: string; glueDatabase: string }): StackParameters {
  const commitFrequencyMs = integer(raw, "commitFrequencyMs", { fallback: 60_000, min: 1_000 });
  if (commitFrequencyMs > 60_000 && commitFrequencyMs % 60_000 !== 0) {
    throw new ConfigurationError("commitFrequencyMs", `above one minute it must be a whole number of minutes (the schedule's unit), got ${commitFrequencyMs}`);
  }
  const glueDatabase = optional(raw, "glueDatabase") ?? defaults.glueDatabase;
  // Athena and Glue accept lower-case letters, digits and underscores in database names.
  if (!/^[a-z0-9_]{1,255}$/.test(glueDatabase)) throw new ConfigurationError("glueDatabase", `must be lower-case letters, digits and underscores, got '${glueDatabase}'`);
  const warehousePrefix = (optional(raw, "warehousePrefix") ?? "warehouse").replace(/^\/+|\/+$/g, "");
  if (warehousePrefix === "" || warehousePrefix.includes("*")) throw new ConfigurationError("warehousePrefix", `must be a non-empty key prefix without '*', got '${raw["warehousePrefix"] ?? ""}'`);
  const warehouseBucketName = optional(raw, "warehouseBucketName");
  if (warehouseBucketName !== undefined && !/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(warehouseBucketName)) {
    throw new ConfigurationError("warehouseBucketName", `is not a valid S3 bucket name: '${warehouseBucketName}'`);
  }
  const schemaRegistryUrl = optional(raw, "schemaRegistryUrl");
  if (schemaRegistryUrl !== undefined && hasUserInfo(schemaRegistryUrl)) {
    throw new ConfigurationError(
      "schemaRegistryUrl",
      `must not hold credentials ('${withoutUserInfo(schemaRegistryUrl)}' with a user name or password before '@'), which would be written into the template and the functions' environment: put them in a Secrets Manager secret ({"username": ..., "password": ...}) and pass its ARN as schemaRegistrySecretArn`,
    );
  }
  if (schemaRegistryUrl !== undefined && !/^https?:\/\/[^/]/.test(schemaRegistryUrl)) throw new ConfigurationError("schemaRegistryUrl", `must be an http(s) URL, got '${withoutUserInfo(schemaRegistryUrl)}'`);
  const schemaRegistrySecretArn = secretArn(raw, "schemaRegistrySecretArn");
  if (schemaRegistrySecretArn !== undefined && schemaRegistryUrl === undefined) throw new ConfigurationError("schemaRegistrySecretArn", "is set but schemaRegistryUrl is not");
  const catalog = parseCatalogParameters(raw);
  if (catalog.type === "rest" && optional(raw, "glueDatabase") !== undefined) {
    throw new ConfigurationError("glueDatabase", "applies with catalog=glue only; with catalog=rest the tables go in restCatalogNamespace (with Glue's endpoint, the Glue database of that name)");
  }
  const consumerGroup = optional(raw, "consumerGroup") ?? defaults.consumerGroup;
  if (!/^[a-zA-Z0-9\-/*:_+=.@]{1,200}$/.test(consumerGroup)) throw new ConfigurationError("consumerGroup", `must be 1–200 of the characters a-z A-Z 0-9 - / * : _ + = . @, got '${consumerGroup}'`);
  return {
    kafka: kafkaSource(raw),
    failureHandling: failureHandling(raw),
    topics: topics(raw),
    consumerGroup,
    batchSize: integer(raw, "batchSize", { fallback: 10_000, min: 1, max: 10_000 }),
    batchingWindowSeconds: integer(raw, "batchingWindowSeconds", { fallback: 30, min: 0, max: 300 }),
    ...optionalField("secretsKmsKeyArn", arn(raw, "secretsKmsKeyArn", /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/.+$/)),
    ...optionalField("schemaRegistryUrl", schemaRegistryUrl),
    ...optionalField("schemaRegistrySecretArn", schemaRegistrySecretArn),
    ...optionalField("valueSubjects", optional(raw, "valueSubjects")),
    ...optionalField("valueMessages", optional(raw, "valueMessages")),
    wireFormat: oneOf(raw, "wireFormat", ["confluent", "raw"], "confluent"),
    ...optionalField("warehouseBucketName", warehouseBucketName),
    warehousePrefix,
    warehouseVersioning: oneOf(raw, "warehouseVersioning", ["true", "false"], "true") === "true",
    noncurrentVersionDays: integer(raw, "noncurrentVersionDays", { fallback: 30, min: 1 }),
    glueDatabase,
    catalog,
    commitFrequencyMs,
    partitioning: oneOf(raw, "partitioning", ["hour", "day", "month", "year", "none"], "day"),
    useIngestTime: oneOf(raw, "useIngestTime", ["true", "false"], "false") === "true",
    deadLetters: oneOf(raw, "deadLetters", ["true", "false"], "false") === "true",
    ...optionalField("targetFileSizeBytes", optionalInteger(raw, "targetFileSizeBytes", { min: 1024 * 1024 })),
    ingestMemoryMb: integer(raw, "ingestMemoryMb", { fallback: 1769, min: 512, max: 10_240 }),
    ingestTimeoutSeconds: integer(raw, "ingestTimeoutSeconds", { fallback: 60, min: 10, max: 900 }),
    ...optionalField("ingestReservedConcurrency", optionalInteger(raw, "ingestReservedConcurrency", { min: 1 })),
    commitMemoryMb: integer(raw, "commitMemoryMb", { fallback: 2048, min: 512, max: 10_240 }),
    commitConcurrency: integer(raw, "commitConcurrency", { fallback: 4, min: 1, max: 64 }),
    maintenance: maintenanceParameters(raw, catalog),
    logRetentionDays: logRetention(raw),
    ...optionalField("alarmTopicArn", arn(raw, "alarmTopicArn", /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:.+$/)),
    backlogAgeAlarmMs: integer(raw, "backlogAgeAlarmMs", { fallback: Math.max(15 * 60_000, 5 * commitFrequencyMs), min: 60_000 }),
    invalidRecordRateAlarm: fraction(raw, "invalidRecordRateAlarm", 0.01),
  };
}

// Catalogs that maintain tables themselves (S3 Tables, Glue's table optimizers) switch parts
// off; with S3 Tables they are off unless asked for: the service compacts, expires snapshots
// and removes unreferenced files itself.
function maintenanceParameters(raw: RawParameters, catalog: CatalogParameters): StackParameters["maintenance"] {
  const schedule = raw["maintainSchedule"]?.trim() || "rate(1 hour)";
  if (!/^(rate\(\d+ (minute|minutes|hour|hours|day|days)\)|cron\(.+\))$/.test(schedule)) {
    throw new ConfigurationError("maintainSchedule", `must be an EventBridge schedule expression such as rate(1 hour) or cron(0 3 * * ? *), got '${schedule}'`);
  }
  const byDefault = catalog.type === "rest" && catalog.awsService === "s3tables" ? "false" : "true";
  const part = (name: string): boolean => oneOf(raw, name, ["true", "false"], byDefault) === "true";
  return {
    schedule,
    memoryMb: integer(raw, "maintainMemoryMb", { fallback: 3008, min: 512, max: 10_240 }),
    expireSnapshots: part("maintainExpireSnapshots"),
    compact: part("maintainCompact"),
    removeOrphans: part("maintainRemoveOrphans"),
  };
}

function kafkaSource(raw: RawParameters): KafkaSource {
  const type = oneOf(raw, "kafkaSource", ["msk", "self-managed"], "msk");
  if (type === "msk") {
    const clusterArn = arn(raw, "mskClusterArn", /^arn:aws[a-z-]*:kafka:[a-z0-9-]+:\d{12}:cluster\/[^/]+\/[^/]+$/);
    if (clusterArn === undefined) throw new ConfigurationError("mskClusterArn", "is required when kafkaSource is msk");
    const authType = oneOf(raw, "mskAuth", ["iam", "sasl-scram-512"], "iam");
    if (authType === "iam") return { type, clusterArn, auth: { type: "iam" } };
    return { type, clusterArn, auth: { type: authType, secretArn: requiredSecretArn(raw, "mskSecretArn", "when mskAuth is sasl-scram-512") } };
  }
  const bootstrapServers = list(raw, "bootstrapServers");
  if (bootstrapServers.length === 0) throw new ConfigurationError("bootstrapServers", "is required when kafkaSource is self-managed (host:port,host:port)");
  // Never echoed: what stands before an '@' may be a password.
  if (bootstrapServers.some((server) => server.includes("@"))) {
    throw new ConfigurationError("bootstrapServers", "must not hold credentials (an entry has user info before '@'): list host:port entries, and pass the credentials' secret as kafkaAuthSecretArn");
  }
  for (const server of bootstrapServers) if (!/^[^\s:]+:\d{1,5}$/.test(server)) throw new ConfigurationError("bootstrapServers", `expected host:port, got '${server}'`);
  const authType = oneOf(raw, "kafkaAuth", ["none", "sasl-scram-512", "sasl-scram-256", "sasl-plain", "mtls"], undefined);
  const auth: SelfManagedAuth = authType === "none" ? { type: authType } : { type: authType, secretArn: requiredSecretArn(raw, "kafkaAuthSecretArn", `when kafkaAuth is ${authType}`) };
  const rootCaSecretArn = secretArn(raw, "kafkaRootCaSecretArn");
  const subnetIds = list(raw, "kafkaSubnetIds");
  const securityGroupIds = list(raw, "kafkaSecurityGroupIds");
  if ((subnetIds.length === 0) !== (securityGroupIds.length === 0)) {
    const missing = subnetIds.length === 0 ? "kafkaSubnetIds" : "kafkaSecurityGroupIds";
    throw new ConfigurationError(missing, "is required when the other of kafkaSubnetIds and kafkaSecurityGroupIds is set");
  }
  for (const id of subnetIds) if (!/^subnet-[a-z0-9]+$/.test(id)) throw new ConfigurationError("kafkaSubnetIds", `expected subnet-..., got '${id}'`);
  for (const id of securityGroupIds) if (!/^sg-[a-z0-9]+$/.test(id)) throw new ConfigurationError("kafkaSecurityGroupIds", `expected sg-..., got '${id}'`);
  return {
    type,
    bootstrapServers,
    auth,
    ...optionalField("rootCaSecretArn", rootCaSecretArn),
    ...(subnetIds.length === 0 ? {} : { vpc: { subnetIds, securityGroupIds } }),
  };
}

function failureHandling(raw: RawParameters): FailureHandling {
  const destination = arn(raw, "onFailureDestinationArn", /^arn:aws[a-z-]*:(sqs:[a-z0-9-]+:\d{12}:.+|sns:[a-z0-9-]+:\d{12}:.+|s3:::[a-z0-9][a-z0-9.-]{1,61}[a-z0-9])$/);
  const minimumPollers = optionalInteger(raw, "provisionedMinimumPollers", { min: 1, max: 200 });
  const maximumPollers = optionalInteger(raw, "provisionedMaximumPollers", { min: 1, max: 2000 });
  const destinationField = optionalField("onFailureDestinationArn", destination);
  if (minimumPollers === undefined && maximumPollers === undefined) {
    for (const name of ["maximumRetryAttempts", "bisectBatchOnFunctionError"]) {
      if (optional(raw, name) !== undefined) throw new ConfigurationError(name, "applies to Kafka event sources in provisioned mode only: set provisionedMinimumPollers (and provisionedMaximumPollers) too");
    }
    return destinationField;
  }
  const minimum = minimumPollers ?? 1;
  const maximum = maximumPollers ?? Math.max(minimum, 200);
  if (maximum < minimum) throw new ConfigurationError("provisionedMaximumPollers", `must be at least provisionedMinimumPollers (${minimum}), got ${maximum}`);
  const retriesText = optional(raw, "maximumRetryAttempts");
  const maximumRetryAttempts = retriesText === "-1" ? -1 : integer(raw, "maximumRetryAttempts", { fallback: -1, min: 0, max: 10_000 });
  return {
    ...destinationField,
    provisioned: {
      minimumPollers: minimum,
      maximumPollers: maximum,
      maximumRetryAttempts,
      bisectBatchOnFunctionError: oneOf(raw, "bisectBatchOnFunctionError", ["true", "false"], "true") === "true",
    },
  };
}

function topics(raw: RawParameters): string[] {
  const names = list(raw, "topics");
  if (names.length === 0) throw new ConfigurationError("topics", "is required: the Kafka topics to read, separated by commas");
  for (const name of names) if (!/^[a-zA-Z0-9._-]{1,249}$/.test(name)) throw new ConfigurationError("topics", `'${name}' is not a valid Kafka topic name`);
  if (new Set(names).size !== names.length) throw new ConfigurationError("topics", "lists a topic twice");
  return names;
}

function logRetention(raw: RawParameters): number {
  const days = integer(raw, "logRetentionDays", { fallback: 30, min: 1 });
  if (!logRetentionValues.includes(days)) throw new ConfigurationError("logRetentionDays", `must be one of ${logRetentionValues.join(", ")}, got ${days}`);
  return days;
}
