import { describe, expect, it } from "vitest";
import { parseStackParameters, type RawParameters } from "../../deploy/stack-parameters.js";
import { stackSettings } from "../../deploy/stack-settings.js";

const defaults = { consumerGroup: "kafka-iceberg-export-dev", glueDatabase: "kafka_iceberg_export_dev" };
const mskArn = "arn:aws:kafka:eu-west-1:123456789012:cluster/events/0b1c2d3e-aaaa-bbbb-cccc-0123456789ab-7";
const secretArn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:kafka/scram-AbCdEf";
const msk: RawParameters = { mskClusterArn: mskArn, topics: "orders" };

describe("the stack parameters", () => {
  it("leave failure handling to the on-demand event source unless provisioned mode is asked for, then bisect and retry until success by default", () => {
    expect(parseStackParameters(msk, defaults).failureHandling).toEqual({});
    expect(parseStackParameters({ ...msk, provisionedMinimumPollers: "3" }, defaults).failureHandling).toEqual({
      provisioned: { minimumPollers: 3, maximumPollers: 200, maximumRetryAttempts: -1, bisectBatchOnFunctionError: true },
    });
    expect(parseStackParameters({ ...msk, provisionedMaximumPollers: "4", maximumRetryAttempts: "-1", bisectBatchOnFunctionError: "false" }, defaults).failureHandling.provisioned).toEqual({
      minimumPollers: 1,
      maximumPollers: 4,
      maximumRetryAttempts: -1,
      bisectBatchOnFunctionError: false,
    });
  });

  it("default to an MSK source with IAM auth, batches of 10,000 within 30 s, day partitioning, a one-minute commit", () => {
    const parameters = parseStackParameters(msk, defaults);
    expect(parameters).toMatchObject({
      kafka: { type: "msk", clusterArn: mskArn, auth: { type: "iam" } },
      topics: ["orders"],
      consumerGroup: "kafka-iceberg-export-dev",
      batchSize: 10_000,
      batchingWindowSeconds: 30,
      glueDatabase: "kafka_iceberg_export_dev",
      warehousePrefix: "warehouse",
      commitFrequencyMs: 60_000,
      partitioning: "day",
      useIngestTime: false,
      deadLetters: false,
      wireFormat: "confluent",
      ingestMemoryMb: 1769,
      commitMemoryMb: 2048,
      commitConcurrency: 4,
      maintenance: { schedule: "rate(1 hour)", memoryMb: 3008, expireSnapshots: true, compact: true, removeOrphans: true },
      logRetentionDays: 30,
      warehouseVersioning: true,
      noncurrentVersionDays: 30,
    });
    expect(parameters.schemaRegistrySecretArn).toBeUndefined();
  });

  it.each<[string, RawParameters, string]>([
    ["retry limits without provisioned mode", { ...msk, maximumRetryAttempts: "3" }, "configuration setting maximumRetryAttempts: applies to Kafka event sources in provisioned mode only"],
    ["bisecting without provisioned mode", { ...msk, bisectBatchOnFunctionError: "true" }, "configuration setting bisectBatchOnFunctionError: applies to Kafka event sources in provisioned mode only"],
    ["fewer maximum than minimum pollers", { ...msk, provisionedMinimumPollers: "5", provisionedMaximumPollers: "2" }, "configuration setting provisionedMaximumPollers: must be at least provisionedMinimumPollers (5), got 2"],
    ["a retry limit past AWS's", { ...msk, provisionedMinimumPollers: "1", maximumRetryAttempts: "10001" }, "configuration setting maximumRetryAttempts: must be an integer from 0 to 10000"],
    ["an on-failure destination of another kind", { ...msk, onFailureDestinationArn: "arn:aws:lambda:eu-west-1:123456789012:function:f" }, "configuration setting onFailureDestinationArn: is not a valid ARN"],
    ["no topics", { mskClusterArn: mskArn }, "configuration setting topics: is required"],
    ["an MSK source without a cluster", { topics: "orders" }, "configuration setting mskClusterArn: is required when kafkaSource is msk"],
    ["a cluster ARN of another service", { ...msk, mskClusterArn: "arn:aws:s3:::bucket" }, "configuration setting mskClusterArn: is not a valid ARN"],
    ["SCRAM on MSK without its secret", { ...msk, mskAuth: "sasl-scram-512" }, "configuration setting mskSecretArn: is required when mskAuth is sasl-scram-512"],
    ["an unknown source", { ...msk, kafkaSource: "kinesis" }, "configuration setting kafkaSource: must be one of msk, self-managed, got 'kinesis'"],
    ["self-managed without brokers", { kafkaSource: "self-managed", topics: "orders", kafkaAuth: "none" }, "configuration setting bootstrapServers: is required"],
    ["a broker without a port", { kafkaSource: "self-managed", topics: "orders", kafkaAuth: "none", bootstrapServers: "b1.example.com" }, "configuration setting bootstrapServers: expected host:port"],
    ["self-managed without an auth choice", { kafkaSource: "self-managed", topics: "orders", bootstrapServers: "b1:9096" }, "configuration setting kafkaAuth: is required"],
    ["mTLS without its secret", { kafkaSource: "self-managed", topics: "orders", bootstrapServers: "b1:9096", kafkaAuth: "mtls" }, "configuration setting kafkaAuthSecretArn: is required when kafkaAuth is mtls"],
    ["subnets without security groups", { kafkaSource: "self-managed", topics: "orders", bootstrapServers: "b1:9096", kafkaAuth: "none", kafkaSubnetIds: "subnet-0a1b" }, "configuration setting kafkaSecurityGroupIds: is required"],
    ["a commit frequency of 90 s", { ...msk, commitFrequencyMs: "90000" }, "configuration setting commitFrequencyMs: above one minute it must be a whole number of minutes"],
    ["a batch over the event source's limit", { ...msk, batchSize: "20000" }, "configuration setting batchSize: must be an integer from 1 to 10000, got '20000'"],
    ["a database name Athena cannot query", { ...msk, glueDatabase: "My-Db" }, "configuration setting glueDatabase: must be lower-case letters"],
    ["a registry secret without a registry", { ...msk, schemaRegistrySecretArn: secretArn }, "configuration setting schemaRegistrySecretArn: is set but schemaRegistryUrl is not"],
    ["a retention CloudWatch does not offer", { ...msk, logRetentionDays: "10" }, "configuration setting logRetentionDays: must be one of 1, 3, 5, 7, 14, 30"],
    ["an unknown partitioning", { ...msk, partitioning: "week" }, "configuration setting partitioning: must be one of hour, day, month, year, none, got 'week'"],
    ["a topic listed twice", { ...msk, topics: "orders, orders" }, "configuration setting topics: lists a topic twice"],
    ["versioning neither on nor off", { ...msk, warehouseVersioning: "yes" }, "configuration setting warehouseVersioning: must be one of true, false, got 'yes'"],
    ["noncurrent versions kept for no day", { ...msk, noncurrentVersionDays: "0" }, "configuration setting noncurrentVersionDays: must be an integer from 1"],
    ["an invalid-record rate of 5", { ...msk, invalidRecordRateAlarm: "5" }, "configuration setting invalidRecordRateAlarm: must be a fraction"],
  ])("refuse %s with a message naming the parameter", (_case, raw, message) => {
    expect(() => parseStackParameters(raw, defaults)).toThrow(message);
  });

  it("take self-managed brokers with SCRAM, a root CA and a VPC", () => {
    const rootCa = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:kafka/ca-XyZ123";
    const parameters = parseStackParameters(
      {
        kafkaSource: "self-managed",
        topics: "orders,clicks",
        bootstrapServers: "b1.example.com:9096, b2.example.com:9096",
        kafkaAuth: "sasl-scram-256",
        kafkaAuthSecretArn: secretArn,
        kafkaRootCaSecretArn: rootCa,
        kafkaSubnetIds: "subnet-0a1b,subnet-2c3d",
        kafkaSecurityGroupIds: "sg-0123",
      },
      defaults,
    );
    expect(parameters.kafka).toEqual({
      type: "self-managed",
      bootstrapServers: ["b1.example.com:9096", "b2.example.com:9096"],
      auth: { type: "sasl-scram-256", secretArn },
      rootCaSecretArn: rootCa,
      vpc: { subnetIds: ["subnet-0a1b", "subnet-2c3d"], securityGroupIds: ["sg-0123"] },
    });
    expect(parameters.topics).toEqual(["orders", "clicks"]);
  });
});

describe("the stack settings", () => {
  const stack = { service: "kafka-iceberg-export", stage: "dev" };

  it("schedule the commit every minute below a minute and every N minutes above", () => {
    expect(stackSettings({ ...msk, commitFrequencyMs: "15000" }, stack)).toMatchObject({ commitSchedule: "rate(1 minute)", alarmPeriodSeconds: 60, commitTimeoutSeconds: 60 });
    expect(stackSettings(msk, stack)).toMatchObject({ commitSchedule: "rate(1 minute)" });
    expect(stackSettings({ ...msk, commitFrequencyMs: "300000" }, stack)).toMatchObject({ commitSchedule: "rate(5 minutes)", alarmPeriodSeconds: 300 });
  });

  it("put the registry's secret ARN, never credentials, into the ingest environment, and nothing of the registry into commit's", () => {
    const settings = stackSettings({ ...msk, schemaRegistryUrl: "https://registry.example.com", schemaRegistrySecretArn: secretArn }, stack);
    expect(settings.ingestEnvironment).toMatchObject({ SCHEMA_REGISTRY_URL: "https://registry.example.com", SCHEMA_REGISTRY_SECRET_ARN: secretArn });
    expect(Object.keys(settings.ingestEnvironment)).not.toContain("SCHEMA_REGISTRY_PASSWORD");
    expect(Object.keys(settings.commitEnvironment).filter((name) => name.startsWith("SCHEMA_REGISTRY"))).toEqual([]);
  });

  it("enable the bucket's versioning by default and suspend it when turned off", () => {
    expect(stackSettings(msk, stack)).toMatchObject({ warehouseVersioningStatus: "Enabled", noncurrentVersionDays: 30 });
    expect(stackSettings({ ...msk, warehouseVersioning: "false", noncurrentVersionDays: "90" }, stack)).toMatchObject({ warehouseVersioningStatus: "Suspended", noncurrentVersionDays: 90 });
  });

  it("pass the commit round's concurrency to the commit function, and refuse one out of range", () => {
    expect(stackSettings({ ...msk, commitConcurrency: "16" }, stack).commitEnvironment).toMatchObject({ COMMIT_CONCURRENCY: "16" });
    expect(() => stackSettings({ ...msk, commitConcurrency: "0" }, stack)).toThrow("configuration setting commitConcurrency");
  });

  it("refuse a stage that cannot name the bucket", () => {
    expect(() => stackSettings(msk, { ...stack, stage: "Prod_EU" })).toThrow("configuration setting stage: must be lower-case letters, digits and hyphens");
  });

  it("reads the maintain function's schedule and parts, each switchable off", () => {
    const parameters = parseStackParameters({ ...msk, maintainSchedule: "cron(0 3 * * ? *)", maintainCompact: "false", maintainRemoveOrphans: "false" }, defaults);
    expect(parameters.maintenance).toEqual({ schedule: "cron(0 3 * * ? *)", memoryMb: 3008, expireSnapshots: true, compact: false, removeOrphans: false });
    expect(() => parseStackParameters({ ...msk, maintainSchedule: "every hour" }, defaults)).toThrow(/maintainSchedule: must be an EventBridge schedule expression/);
  });
});
