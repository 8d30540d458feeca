// Everything serverless.yml takes from the stack parameters, computed once at package time:
// the ingest function's Kafka events (one per topic: an event source mapping reads one
// topic), both functions' environments and IAM policies, the commit schedule, the alarms'
// thresholds. serverless.yml reads it through infra/stack-settings.cjs.
import { commitPolicies, ingestPolicies, logicalIds, maintainPolicies, type CfnValue, type InlinePolicy } from "./iam-policies.js";
import { restCatalogAuthSettingNames } from "../lib/config/rest-catalog-auth.js";
import { ConfigurationError } from "../lib/core/errors.js";
import { parseStackParameters, type RawParameters, type StackParameters } from "./stack-parameters.js";

export interface StackSettings {
  ingestEvents: Record<string, unknown>[];
  /**
   * Properties the framework's msk/kafka events cannot set (on-failure destination, provisioned
   * pollers, retry limits, bisecting), added to each generated event source mapping by its
   * logical id through serverless.yml's `resources.extensions`.
   */
  ingestEventSourceExtensions: Record<string, { Properties: Record<string, unknown> }>;
  ingestEnvironment: Record<string, CfnValue>;
  ingestPolicies: InlinePolicy[];
  ingestMemoryMb: number;
  ingestTimeoutSeconds: number;
  /** Null leaves the function on the account's unreserved pool. */
  ingestReservedConcurrency: number | null;
  commitEnvironment: Record<string, CfnValue>;
  commitPolicies: InlinePolicy[];
  commitMemoryMb: number;
  commitTimeoutSeconds: number;
  commitSchedule: string;
  maintainEnvironment: Record<string, CfnValue>;
  maintainPolicies: InlinePolicy[];
  maintainMemoryMb: number;
  maintainSchedule: string;
  logRetentionDays: number;
  /** The parameter, or `<service>-<stage>-<account>-<region>`: bucket names are global. */
  warehouseBucketName: CfnValue;
  warehousePrefix: string;
  /** The bucket's VersioningConfiguration status: "Suspended" when off (an existing versioned bucket stops versioning). */
  warehouseVersioningStatus: "Enabled" | "Suspended";
  noncurrentVersionDays: number;
  glueDatabase: string;
  /**
   * The Glue database of the stack's tables (catalog=glue, or Glue's Iceberg REST endpoint,
   * where the namespace is a Glue database); none for another REST catalog.
   */
  catalogResources: Record<string, unknown>;
  catalogOutputs: Record<string, { Description?: string; Value: CfnValue }>;
  partitioning: string;
  alarmActions: string[];
  /** One schedule interval: every period has at least one commit round's metrics. */
  alarmPeriodSeconds: number;
  backlogAgeAlarmMs: number;
  invalidRecordRateAlarmPercent: number;
  /** A commit round longer than the commit frequency delays every table's next commit. */
  commitRoundAlarmMs: number;
}

/** EventBridge schedules run at most once a minute; shorter frequencies loop inside one invocation. */
const scheduleIntervalMs = 60_000;

export function stackSettings(raw: RawParameters, stack: { service: string; stage: string }): StackSettings {
  // The default bucket name adds 12 + 1 + at most 16 characters (account, region) to these.
  if (!/^[a-z0-9-]+$/.test(stack.stage) || `${stack.service}-${stack.stage}`.length > 33) {
    throw new ConfigurationError("stage", `must be lower-case letters, digits and hyphens, at most ${33 - stack.service.length - 1} characters (it names the bucket), got '${stack.stage}'`);
  }
  const parameters = parseStackParameters(raw, {
    consumerGroup: `${stack.service}-${stack.stage}`,
    glueDatabase: `${stack.service}_${stack.stage}`.toLowerCase().replace(/[^a-z0-9_]/g, "_"),
  });
  const minutes = Math.max(1, parameters.commitFrequencyMs / scheduleIntervalMs);
  return {
    ingestEvents: parameters.topics.map((topic) => kafkaEvent(parameters, topic)),
    ingestEventSourceExtensions: eventSourceExtensions(parameters),
    ingestEnvironment: ingestEnvironment(parameters),
    ingestPolicies: ingestPolicies(parameters),
    ingestMemoryMb: parameters.ingestMemoryMb,
    ingestTimeoutSeconds: parameters.ingestTimeoutSeconds,
    ingestReservedConcurrency: parameters.ingestReservedConcurrency ?? null,
    commitEnvironment: commitEnvironment(parameters),
    commitPolicies: commitPolicies(parameters),
    commitMemoryMb: parameters.commitMemoryMb,
    // runCommitRounds stops looping when the next round could not finish before the
    // deadline (the remaining time), so a timeout of one schedule interval makes each
    // invocation end about when the next one starts: committers of one stack do not overlap.
    commitTimeoutSeconds: scheduleIntervalMs / 1000,
    commitSchedule: minutes === 1 ? "rate(1 minute)" : `rate(${minutes} minutes)`,
    maintainEnvironment: maintainEnvironment(parameters),
    maintainPolicies: maintainPolicies(parameters),
    maintainMemoryMb: parameters.maintenance.memoryMb,
    maintainSchedule: parameters.maintenance.schedule,
    logRetentionDays: parameters.logRetentionDays,
    warehouseBucketName: parameters.warehouseBucketName ?? { "Fn::Join": ["-", [`${stack.service}-${stack.stage}`, { Ref: "AWS::AccountId" }, { Ref: "AWS::Region" }]] },
    warehousePrefix: parameters.warehousePrefix,
    warehouseVersioningStatus: parameters.warehouseVersioning ? "Enabled" : "Suspended",
    noncurrentVersionDays: parameters.noncurrentVersionDays,
    glueDatabase: parameters.glueDatabase,
    catalogResources: catalogResources(parameters),
    catalogOutputs: catalogOutputs(parameters),
    partitioning: parameters.partitioning,
    alarmActions: parameters.alarmTopicArn === undefined ? [] : [parameters.alarmTopicArn],
    alarmPeriodSeconds: minutes * 60,
    backlogAgeAlarmMs: parameters.backlogAgeAlarmMs,
    invalidRecordRateAlarmPercent: parameters.invalidRecordRateAlarm * 100,
    commitRoundAlarmMs: parameters.commitFrequencyMs,
  };
}

// The starting position is LATEST: what is exported is decided by the start offsets that
// `enable` records (SPEC.md §2), never by where the consumer group begins.
function kafkaEvent(parameters: StackParameters, topic: string): Record<string, unknown> {
  const { kafka, consumerGroup, batchSize, batchingWindowSeconds } = parameters;
  const common = { topic, consumerGroupId: consumerGroup, startingPosition: "LATEST", batchSize, maximumBatchingWindow: batchingWindowSeconds };
  if (kafka.type === "msk") {
    return { msk: { arn: kafka.clusterArn, ...common, ...(kafka.auth.type === "sasl-scram-512" ? { saslScram512: kafka.auth.secretArn } : {}) } };
  }
  const accessConfigurations: Record<string, string[]> = {};
  const authKey = { "sasl-scram-512": "saslScram512Auth", "sasl-scram-256": "saslScram256Auth", "sasl-plain": "saslPlainAuth", mtls: "clientCertificateTlsAuth" } as const;
  if (kafka.auth.type !== "none") accessConfigurations[authKey[kafka.auth.type]] = [kafka.auth.secretArn];
  if (kafka.rootCaSecretArn !== undefined) accessConfigurations["serverRootCaCertificate"] = [kafka.rootCaSecretArn];
  if (kafka.vpc !== undefined) {
    accessConfigurations["vpcSubnet"] = kafka.vpc.subnetIds;
    accessConfigurations["vpcSecurityGroup"] = kafka.vpc.securityGroupIds;
  }
  return { kafka: { bootstrapServers: kafka.bootstrapServers, accessConfigurations, ...common } };
}

function eventSourceExtensions(parameters: StackParameters): StackSettings["ingestEventSourceExtensions"] {
  const { onFailureDestinationArn, provisioned } = parameters.failureHandling;
  const properties: Record<string, unknown> = {
    ...(onFailureDestinationArn === undefined ? {} : { DestinationConfig: { OnFailure: { Destination: onFailureDestinationArn } } }),
    ...(provisioned === undefined
      ? {}
      : {
          ProvisionedPollerConfig: { MinimumPollers: provisioned.minimumPollers, MaximumPollers: provisioned.maximumPollers },
          MaximumRetryAttempts: provisioned.maximumRetryAttempts,
          BisectBatchOnFunctionError: provisioned.bisectBatchOnFunctionError,
        }),
  };
  if (Object.keys(properties).length === 0) return {};
  return Object.fromEntries(parameters.topics.map((topic) => [eventSourceMappingLogicalId(parameters, topic), { Properties: properties }]));
}

// The framework's names (osls lib/plugins/aws/lib/naming.js: getMSKEventLogicalId,
// getKafkaEventLogicalId) for the ingest function's mappings; an extension of a name the
// framework did not generate fails packaging (RESOURCE_EXTENSION_NOT_EXISTING), so a change
// there cannot go unnoticed.
function eventSourceMappingLogicalId(parameters: StackParameters, topic: string): string {
  const alphanumeric = (name: string): string => {
    const kept = name.replace(/[^0-9A-Za-z]/g, "");
    return kept.charAt(0).toUpperCase() + kept.slice(1);
  };
  const { kafka } = parameters;
  if (kafka.type === "msk") return `IngestEventSourceMappingMSK${alphanumeric(kafka.clusterArn.split("/")[1] ?? "").slice(0, 79)}${alphanumeric(topic).slice(0, 79)}`;
  return `IngestEventSourceMappingKafka${alphanumeric(topic).slice(0, 158)}`;
}

function sharedEnvironment(parameters: StackParameters): Record<string, CfnValue> {
  return {
    WAREHOUSE: { "Fn::Join": ["", ["s3://", { Ref: logicalIds.bucket }, `/${parameters.warehousePrefix}`]] },
    ...catalogEnvironment(parameters),
    STATE_TABLE: { Ref: logicalIds.stateTable },
    COMMIT_FREQUENCY_MS: String(parameters.commitFrequencyMs),
    USE_INGEST_TIME: String(parameters.useIngestTime),
    DEAD_LETTERS: String(parameters.deadLetters),
  };
}

function ingestEnvironment(parameters: StackParameters): Record<string, CfnValue> {
  const optional: [string, string | undefined][] = [
    ["SCHEMA_REGISTRY_URL", parameters.schemaRegistryUrl],
    ["SCHEMA_REGISTRY_SECRET_ARN", parameters.schemaRegistrySecretArn],
    ["VALUE_SUBJECTS", parameters.valueSubjects],
    ["VALUE_MESSAGES", parameters.valueMessages],
  ];
  return {
    ...sharedEnvironment(parameters),
    WIRE_FORMAT: parameters.wireFormat,
    ...Object.fromEntries(optional.filter((entry): entry is [string, string] => entry[1] !== undefined)),
  };
}

function maintainEnvironment(parameters: StackParameters): Record<string, CfnValue> {
  const { maintenance } = parameters;
  return {
    ...sharedEnvironment(parameters),
    MAINTAIN_EXPIRE_SNAPSHOTS: String(maintenance.expireSnapshots),
    MAINTAIN_COMPACT: String(maintenance.compact),
    MAINTAIN_REMOVE_ORPHANS: String(maintenance.removeOrphans),
    ...(parameters.targetFileSizeBytes === undefined ? {} : { TARGET_FILE_SIZE_BYTES: String(parameters.targetFileSizeBytes) }),
  };
}

function commitEnvironment(parameters: StackParameters): Record<string, CfnValue> {
  return {
    ...sharedEnvironment(parameters),
    COMMIT_CONCURRENCY: String(parameters.commitConcurrency),
    ...(parameters.targetFileSizeBytes === undefined ? {} : { TARGET_FILE_SIZE_BYTES: String(parameters.targetFileSizeBytes) }),
  };
}

// The catalog settings (lib/config/export-config.ts, lib/config/rest-catalog-auth.ts); what
// a REST parameter leaves empty the functions infer from the URI and the secret.
function catalogEnvironment(parameters: StackParameters): Record<string, CfnValue> {
  const { catalog } = parameters;
  if (catalog.type === "glue") return { CATALOG: "glue", GLUE_DATABASE: parameters.glueDatabase };
  const names = restCatalogAuthSettingNames;
  const settings: [string, CfnValue | undefined][] = [
    ["REST_CATALOG_URI", catalog.uri],
    // Glue's endpoint names the catalog by its account id: this account's by default.
    ["REST_CATALOG_WAREHOUSE", catalog.warehouse ?? (catalog.awsService === "glue" ? { Ref: "AWS::AccountId" } : undefined)],
    ["REST_CATALOG_NAMESPACE", catalog.namespace],
    ["REST_CATALOG_VENDED_CREDENTIALS", String(catalog.vendedCredentials)],
    [names.auth, catalog.auth],
    [names.signingName, catalog.signingName],
    [names.signingRegion, catalog.signingRegion],
    [names.oauthClientId, catalog.oauthClientId],
    [names.oauthScope, catalog.oauthScope],
    [names.secretArn, catalog.secretArn],
  ];
  return { CATALOG: "rest", ...Object.fromEntries(settings.filter((entry): entry is [string, CfnValue] => entry[1] !== undefined)) };
}

/** The Glue database the tables go in, when the catalog keeps them in Glue. */
export function stackGlueDatabase(parameters: StackParameters): string | undefined {
  const { catalog } = parameters;
  if (catalog.type === "glue") return parameters.glueDatabase;
  return catalog.awsService === "glue" ? catalog.namespace : undefined;
}

function catalogResources(parameters: StackParameters): Record<string, unknown> {
  const name = stackGlueDatabase(parameters);
  if (name === undefined) return {};
  return {
    [logicalIds.glueDatabase]: {
      Type: "AWS::Glue::Database",
      DeletionPolicy: "Retain",
      UpdateReplacePolicy: "Retain",
      Properties: { CatalogId: { Ref: "AWS::AccountId" }, DatabaseInput: { Name: name, Description: "Iceberg tables exported from Kafka by kafka-iceberg-export" } },
    },
  };
}

function catalogOutputs(parameters: StackParameters): StackSettings["catalogOutputs"] {
  const { catalog } = parameters;
  if (catalog.type === "glue") return { GlueDatabase: { Value: parameters.glueDatabase } };
  return {
    RestCatalogUri: { Description: "The Iceberg REST catalog `enable` and the readers use", Value: catalog.uri },
    RestCatalogNamespace: { Value: catalog.namespace },
    ...(catalog.warehouse === undefined ? {} : { RestCatalogWarehouse: { Value: catalog.warehouse } }),
  };
}
