// The deployable stack, read from the CloudFormation template `npm run package` generates
// offline: event sources, schedule, storage protections, alarms, least-privilege IAM, and
// cfn-lint. One MSK stack and one self-managed stack cover both event source kinds.
import { readFileSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { wildcardResourceExceptions } from "../../../deploy/iam-policies.js";
import { zipBudgetBytes } from "../../../deploy/package.js";
import { createDynamoDbStateStore } from "../../../lib/adapters/aws/dynamodb-state-store.js";
import { createStateTable } from "../../../lib/adapters/aws/dynamodb-state-table.js";
import { commitMetrics } from "../../../lib/commit/commit-metrics.js";
import { buildInfo } from "../../../lib/core/build-info.js";
import { StateStoreMissingError } from "../../../lib/core/errors.js";
import { ingestFailureMetrics, ingestMetrics, notExportedMetrics } from "../../../lib/ingest/ingest-metrics.js";
import { awsTestClientConfig } from "../../env/aws.js";
import { projectRoot } from "../../env/install.js";
import { pythonBin } from "../../env/python.js";
import { testEnvironment } from "../../env/test-environment.js";
import { uniqueName } from "../../env/unique-name.js";
import { packageStack, packageStackFailure, resource, resourcesOfType, run, type CfnTemplate, type PackagedStack } from "./package-stack.js";

const account = "123456789012";
const clusterArn = `arn:aws:kafka:us-east-1:${account}:cluster/events/0b1c2d3e-aaaa-bbbb-cccc-0123456789ab-7`;
const registrySecret = `arn:aws:secretsmanager:us-east-1:${account}:secret:registry-AbCdEf`;
const scramSecret = `arn:aws:secretsmanager:us-east-1:${account}:secret:kafka-scram-GhIjKl`;
const rootCaSecret = `arn:aws:secretsmanager:us-east-1:${account}:secret:kafka-ca-MnOpQr`;
const kmsKey = `arn:aws:kms:us-east-1:${account}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const alarmTopic = `arn:aws:sns:us-east-1:${account}:export-alarms`;
const failedBatchesBucket = "arn:aws:s3:::acme-failed-batches";
const failedBatchesQueue = `arn:aws:sqs:us-east-1:${account}:export-failed-batches`;

const mskParameters = {
  mskClusterArn: clusterArn,
  topics: "orders,clicks",
  batchSize: "5000",
  batchingWindowSeconds: "20",
  schemaRegistryUrl: "https://registry.example.com",
  schemaRegistrySecretArn: registrySecret,
  alarmTopicArn: alarmTopic,
  onFailureDestinationArn: failedBatchesBucket,
};

const selfManagedParameters = {
  kafkaSource: "self-managed",
  bootstrapServers: "b1.example.com:9096,b2.example.com:9096",
  kafkaAuth: "sasl-scram-512",
  kafkaAuthSecretArn: scramSecret,
  kafkaRootCaSecretArn: rootCaSecret,
  kafkaSubnetIds: "subnet-0a1b2c3d,subnet-4e5f6a7b",
  kafkaSecurityGroupIds: "sg-0123abcd",
  secretsKmsKeyArn: kmsKey,
  topics: "payments",
  consumerGroup: "iceberg-export",
  commitFrequencyMs: "15000",
  warehouseBucketName: "acme-lake-ci",
  warehousePrefix: "tables",
  warehouseVersioning: "false",
  noncurrentVersionDays: "7",
  glueDatabase: "lake",
  onFailureDestinationArn: failedBatchesQueue,
  provisionedMinimumPollers: "2",
  provisionedMaximumPollers: "10",
  maximumRetryAttempts: "20",
};

const tableBucketArn = `arn:aws:s3tables:us-east-1:${account}:bucket/exports`;
const polarisSecret = `arn:aws:secretsmanager:us-east-1:${account}:secret:polaris-StUvWx`;

// The REST catalog examples of docs/deploy.md: S3 Tables (SigV4, the table bucket as the
// warehouse) and Polaris (OAuth2 client credentials from Secrets Manager).
const s3TablesParameters = {
  mskClusterArn: clusterArn,
  topics: "orders",
  catalog: "rest",
  restCatalogUri: "https://s3tables.us-east-1.amazonaws.com/iceberg",
  restCatalogWarehouse: tableBucketArn,
  restCatalogNamespace: "kafka",
};

const polarisParameters = {
  mskClusterArn: clusterArn,
  topics: "orders",
  catalog: "rest",
  restCatalogUri: "https://acme-lake.snowflakecomputing.com/polaris/api/catalog",
  restCatalogWarehouse: "lake",
  restCatalogAuth: "oauth2",
  restCatalogOauthClientId: "exporter",
  restCatalogOauthScope: "PRINCIPAL_ROLE:ALL",
  restCatalogSecretArn: polarisSecret,
  secretsKmsKeyArn: kmsKey,
};

interface Statement {
  Sid?: string;
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Principal?: unknown;
  Condition?: unknown;
}

interface RolePolicy {
  PolicyName: string;
  PolicyDocument: { Statement: Statement[] };
}

function rolePolicies(template: CfnTemplate, role: string): RolePolicy[] {
  return resource(template, role).Properties["Policies"] as RolePolicy[];
}

function roleStatements(template: CfnTemplate, role: string): Statement[] {
  return rolePolicies(template, role).flatMap((policy) => policy.PolicyDocument.Statement);
}

function asList<T>(value: T | T[]): T[] {
  return Array.isArray(value) ? value : [value];
}

function actions(statements: Statement[]): string[] {
  return statements.flatMap((statement) => asList(statement.Action));
}

/** Resource values as text: intrinsic functions are serialised, so a test can look inside. */
function resourceTexts(statement: Statement): string[] {
  return asList(statement.Resource).map((value) => (typeof value === "string" ? value : JSON.stringify(value)));
}

function statementsFor(statements: Statement[], action: string): Statement[] {
  return statements.filter((statement) => asList(statement.Action).includes(action));
}

/** Every Allow statement of every identity and resource policy in the template. */
function allowStatements(template: CfnTemplate): { where: string; statement: Statement }[] {
  const found: { where: string; statement: Statement }[] = [];
  for (const [logicalId, entry] of Object.entries(template.Resources)) {
    const documents: { name: string; document: { Statement: Statement[] } }[] = [];
    const properties = entry.Properties ?? {};
    if (entry.Type === "AWS::IAM::Role") {
      for (const policy of (properties["Policies"] ?? []) as RolePolicy[]) documents.push({ name: policy.PolicyName, document: policy.PolicyDocument });
    }
    if (entry.Type.endsWith("::BucketPolicy") || entry.Type === "AWS::IAM::Policy" || entry.Type === "AWS::IAM::ManagedPolicy") {
      documents.push({ name: "policy", document: properties["PolicyDocument"] as { Statement: Statement[] } });
    }
    for (const { name, document } of documents) {
      for (const statement of document.Statement) if (statement.Effect === "Allow") found.push({ where: `${logicalId}/${name}/${statement.Sid ?? "?"}`, statement });
    }
  }
  return found;
}

function eventSourceMappings(template: CfnTemplate): Record<string, unknown>[] {
  return resourcesOfType(template, "AWS::Lambda::EventSourceMapping").map(([, mapping]) => mapping.Properties ?? {});
}

async function cfnLint(stack: PackagedStack): Promise<{ code: number; output: string }> {
  // W3005: the framework adds DependsOn on each function's role next to the GetAtt of it;
  // redundant, harmless, and not ours to change.
  const cfnLintBin = join(dirname(pythonBin), "cfn-lint");
  return run(cfnLintBin, ["--ignore-checks", "W3005", "--", stack.templateFile, stack.templateFile.replace("update-stack", "create-stack")], process.env);
}

let msk: PackagedStack;
let selfManaged: PackagedStack;
let s3Tables: PackagedStack;
let polaris: PackagedStack;

beforeAll(async () => {
  // One after the other: both write the bundles under dist/.
  msk = await packageStack(mskParameters);
  selfManaged = await packageStack(selfManagedParameters, { stage: "prod" });
  s3Tables = await packageStack(s3TablesParameters, { stage: "tables" });
  polaris = await packageStack(polarisParameters, { stage: "polaris" });
}, 600_000);

afterAll(() => {
  for (const stack of [msk, selfManaged, s3Tables, polaris] as (PackagedStack | undefined)[]) if (stack !== undefined) rmSync(stack.directory, { recursive: true, force: true });
});

describe("npm run package", () => {
  it("prints each function's bundle and zip size against its budget, within budget", () => {
    for (const name of ["ingest", "commit"] as const) {
      const line = msk.output.split("\n").find((text) => text.startsWith(`${name} `));
      expect(line, msk.output).toMatch(new RegExp(`^${name}\\s+\\d+ KiB\\s+\\d+ KiB\\s+${Math.round(zipBudgetBytes[name] / 1024)} KiB\\s+ok\\s`));
    }
  });

  it("ships ingest without the Glue client: it never touches the catalog", () => {
    const line = msk.output.split("\n").find((text) => text.startsWith("ingest "));
    expect(line).not.toContain("client-glue");
    const commitLine = msk.output.split("\n").find((text) => text.startsWith("commit "));
    expect(commitLine).toContain("@aws-sdk/client-glue");
  });

  it("fails, naming the parameter, when a required parameter is missing", async () => {
    const output = await packageStackFailure({ topics: "orders" });
    expect(output).toContain("configuration setting mskClusterArn: is required when kafkaSource is msk");
  });

  it("produces templates that cfn-lint passes, with Glue's API and with REST catalogs", async () => {
    for (const stack of [msk, selfManaged, s3Tables, polaris]) {
      const { code, output } = await cfnLint(stack);
      expect(output).toBe("");
      expect(code).toBe(0);
    }
  });
});

describe("the ingest function's event sources", () => {
  it("map each topic of an MSK cluster from LATEST with the batch settings and the consumer group", () => {
    const mappings = eventSourceMappings(msk.template);
    expect(mappings.map((mapping) => mapping["Topics"])).toEqual([["orders"], ["clicks"]]);
    for (const mapping of mappings) {
      expect(mapping).toMatchObject({
        EventSourceArn: clusterArn,
        FunctionName: { "Fn::GetAtt": ["IngestLambdaFunction", "Arn"] },
        StartingPosition: "LATEST",
        BatchSize: 5000,
        MaximumBatchingWindowInSeconds: 20,
        AmazonManagedKafkaEventSourceConfig: { ConsumerGroupId: "kafka-iceberg-export-ci" },
      });
      expect(mapping["SourceAccessConfigurations"]).toBeUndefined();
    }
  });

  it("read self-managed brokers with SASL/SCRAM and a root CA from Secrets Manager, through the VPC", () => {
    const [mapping, ...others] = eventSourceMappings(selfManaged.template);
    expect(others).toEqual([]);
    expect(mapping).toMatchObject({
      Topics: ["payments"],
      StartingPosition: "LATEST",
      BatchSize: 10_000,
      MaximumBatchingWindowInSeconds: 30,
      SelfManagedEventSource: { Endpoints: { KafkaBootstrapServers: ["b1.example.com:9096", "b2.example.com:9096"] } },
      SelfManagedKafkaEventSourceConfig: { ConsumerGroupId: "iceberg-export" },
    });
    expect(mapping?.["SourceAccessConfigurations"]).toEqual(
      expect.arrayContaining([
        { Type: "SASL_SCRAM_512_AUTH", URI: scramSecret },
        { Type: "SERVER_ROOT_CA_CERTIFICATE", URI: rootCaSecret },
        { Type: "VPC_SUBNET", URI: "subnet:subnet-0a1b2c3d" },
        { Type: "VPC_SUBNET", URI: "subnet:subnet-4e5f6a7b" },
        { Type: "VPC_SECURITY_GROUP", URI: "security_group:sg-0123abcd" },
      ]),
    );
  });
});

describe("what the event sources do with a batch the function fails", () => {
  it("on demand (MSK here): retry it until it succeeds, telling the on-failure destination of what they give up on", () => {
    for (const mapping of eventSourceMappings(msk.template)) {
      expect(mapping["DestinationConfig"]).toEqual({ OnFailure: { Destination: failedBatchesBucket } });
      for (const provisionedOnly of ["ProvisionedPollerConfig", "MaximumRetryAttempts", "BisectBatchOnFunctionError"]) expect(mapping[provisionedOnly]).toBeUndefined();
    }
    const onFailure = rolePolicies(msk.template, "IngestRole").find((policy) => policy.PolicyName === "ingest-on-failure")?.PolicyDocument.Statement;
    expect(onFailure?.map((statement) => [statement.Action, statement.Resource])).toEqual([
      [["s3:ListBucket"], failedBatchesBucket],
      [["s3:PutObject"], `${failedBatchesBucket}/*`],
    ]);
  });

  it("in provisioned mode (self-managed here): bisect it to isolate what fails, retry up to the limit, then send it to the destination", () => {
    const [mapping] = eventSourceMappings(selfManaged.template);
    expect(mapping).toMatchObject({
      DestinationConfig: { OnFailure: { Destination: failedBatchesQueue } },
      ProvisionedPollerConfig: { MinimumPollers: 2, MaximumPollers: 10 },
      MaximumRetryAttempts: 20,
      BisectBatchOnFunctionError: true,
    });
    const onFailure = statementsFor(roleStatements(selfManaged.template, "IngestRole"), "sqs:SendMessage");
    expect(onFailure.map((statement) => statement.Resource)).toEqual([failedBatchesQueue]);
  });

  it("refuse retry settings outside provisioned mode, naming them", async () => {
    const output = await packageStackFailure({ ...mskParameters, maximumRetryAttempts: "5" });
    expect(output).toContain("configuration setting maximumRetryAttempts: applies to Kafka event sources in provisioned mode only");
  });
});

describe("the functions", () => {
  it("size ingest from the benchmark and pass the registry's secret ARN, not its credentials", () => {
    const ingest = resource(msk.template, "IngestLambdaFunction").Properties;
    expect(ingest).toMatchObject({ Handler: "dist/ingest/ingest.handler", Runtime: "nodejs22.x", MemorySize: 1769, Timeout: 60, Role: { "Fn::GetAtt": ["IngestRole", "Arn"] } });
    const variables = (ingest["Environment"] as { Variables: Record<string, unknown> }).Variables;
    expect(variables).toMatchObject({
      CATALOG: "glue",
      GLUE_DATABASE: "kafka_iceberg_export_ci",
      STATE_TABLE: { Ref: "StateTable" },
      WAREHOUSE: { "Fn::Join": ["", ["s3://", { Ref: "WarehouseBucket" }, "/warehouse"]] },
      SCHEMA_REGISTRY_URL: "https://registry.example.com",
      SCHEMA_REGISTRY_SECRET_ARN: registrySecret,
    });
    expect(Object.keys(variables)).not.toContain("SCHEMA_REGISTRY_PASSWORD");
    expect(JSON.stringify(msk.template)).not.toMatch(/\$\{ssm:|resolve:secretsmanager/);
  });

  it("commit every minute from an EventBridge schedule, one invocation at a time, ending when the next begins", () => {
    for (const [stack, frequency] of [[msk, "60000"], [selfManaged, "15000"]] as const) {
      const commit = resource(stack.template, "CommitLambdaFunction").Properties;
      expect(commit).toMatchObject({ Handler: "dist/commit/commit.handler", Timeout: 60, ReservedConcurrentExecutions: 1, Role: { "Fn::GetAtt": ["CommitRole", "Arn"] } });
      expect((commit["Environment"] as { Variables: Record<string, unknown> }).Variables).toMatchObject({ COMMIT_FREQUENCY_MS: frequency, COMMIT_CONCURRENCY: "4" });
      const rules = resourcesOfType(stack.template, "AWS::Events::Rule").map(([, rule]) => rule.Properties ?? {});
      const commitRules = rules.filter((rule) => JSON.stringify(rule["Targets"]).includes("CommitLambdaFunction"));
      expect(commitRules).toHaveLength(1);
      expect(commitRules[0]).toMatchObject({ ScheduleExpression: "rate(1 minute)", State: "ENABLED", Targets: [{ Arn: { "Fn::GetAtt": ["CommitLambdaFunction", "Arn"] } }] });
      const invokeConfigs = resourcesOfType(stack.template, "AWS::Lambda::EventInvokeConfig").map(([, config]) => config.Properties ?? {});
      expect(invokeConfigs.find((config) => JSON.stringify(config).includes("Commit"))).toMatchObject({ MaximumRetryAttempts: 0, MaximumEventAgeInSeconds: 60 });
    }
  });

  it("maintain the tables on a schedule of their own, one pass at a time, each part switchable", () => {
    const maintain = resource(msk.template, "MaintainLambdaFunction").Properties;
    expect(maintain).toMatchObject({ Handler: "dist/maintain/maintain.handler", Timeout: 900, MemorySize: 3008, ReservedConcurrentExecutions: 1, Role: { "Fn::GetAtt": ["MaintainRole", "Arn"] } });
    expect((maintain["Environment"] as { Variables: Record<string, unknown> }).Variables).toMatchObject({ MAINTAIN_EXPIRE_SNAPSHOTS: "true", MAINTAIN_COMPACT: "true", MAINTAIN_REMOVE_ORPHANS: "true", CATALOG: "glue" });
    const rules = resourcesOfType(msk.template, "AWS::Events::Rule").map(([, rule]) => rule.Properties ?? {});
    expect(rules.filter((rule) => JSON.stringify(rule["Targets"]).includes("MaintainLambdaFunction"))).toMatchObject([{ ScheduleExpression: "rate(1 hour)", State: "ENABLED" }]);
    // Deletes only under the warehouse prefix; never Glue's CreateTable, never a state write.
    const statements = roleStatements(msk.template, "MaintainRole");
    const deletes = statements.filter((statement) => asList(statement.Action).includes("s3:DeleteObject"));
    expect(deletes.map((statement) => statement.Resource)).toEqual([{ "Fn::Join": ["", [{ "Fn::GetAtt": ["WarehouseBucket", "Arn"] }, "/warehouse/*"]] }]);
    const actions = statements.flatMap((statement) => asList(statement.Action));
    expect(actions.filter((action) => action.startsWith("dynamodb:")).sort()).toEqual(["dynamodb:GetItem", "dynamodb:Query"]);
    expect(actions).not.toContain("glue:CreateTable");
  });

  it("keep their logs for the configured retention", () => {
    const groups = resourcesOfType(msk.template, "AWS::Logs::LogGroup").map(([id, group]) => [id, group.Properties?.["RetentionInDays"]]);
    expect(groups).toEqual([
      ["IngestLogGroup", 30],
      ["CommitLogGroup", 30],
      ["MaintainLogGroup", 30],
    ]);
  });
});

describe("the storage", () => {
  it("is an encrypted bucket, closed to the public, refusing requests without TLS, kept when the stack goes", () => {
    const bucket = resource(selfManaged.template, "WarehouseBucket");
    expect(bucket).toMatchObject({ DeletionPolicy: "Retain", UpdateReplacePolicy: "Retain" });
    expect(bucket.Properties).toMatchObject({
      BucketName: "acme-lake-ci",
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: "AES256" } }] },
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      OwnershipControls: { Rules: [{ ObjectOwnership: "BucketOwnerEnforced" }] },
    });
    // Without a name parameter, a name unique to the account and region.
    expect(resource(msk.template, "WarehouseBucket").Properties["BucketName"]).toEqual({ "Fn::Join": ["-", ["kafka-iceberg-export-ci", { Ref: "AWS::AccountId" }, { Ref: "AWS::Region" }]] });
    const policy = resource(selfManaged.template, "WarehouseBucketPolicy").Properties;
    expect(policy["Bucket"]).toEqual({ Ref: "WarehouseBucket" });
    expect((policy["PolicyDocument"] as { Statement: Statement[] }).Statement).toEqual([
      {
        Sid: "DenyInsecureTransport",
        Effect: "Deny",
        Principal: "*",
        Action: "s3:*",
        Resource: [{ "Fn::GetAtt": ["WarehouseBucket", "Arn"] }, { "Fn::Join": ["", [{ "Fn::GetAtt": ["WarehouseBucket", "Arn"] }, "/*"]] }],
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      },
    ]);
  });

  it("versions the bucket by default, expiring noncurrent versions, expired delete markers and abandoned uploads", () => {
    const bucket = resource(msk.template, "WarehouseBucket").Properties;
    expect(bucket["VersioningConfiguration"]).toEqual({ Status: "Enabled" });
    expect(bucket["LifecycleConfiguration"]).toEqual({
      Rules: [
        {
          Id: "ExpireNoncurrentVersions",
          Status: "Enabled",
          NoncurrentVersionExpiration: { NoncurrentDays: 30 },
          ExpiredObjectDeleteMarker: true,
          AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 },
        },
      ],
    });
  });

  it("suspends versioning when it is turned off, still expiring what a versioned period left", () => {
    const bucket = resource(selfManaged.template, "WarehouseBucket").Properties;
    expect(bucket["VersioningConfiguration"]).toEqual({ Status: "Suspended" });
    expect(bucket["LifecycleConfiguration"]).toMatchObject({ Rules: [{ Status: "Enabled", NoncurrentVersionExpiration: { NoncurrentDays: 7 }, AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 } }] });
  });

  it("has an on-demand state table with point-in-time recovery and deletion protection, keyed as the code creates it", async () => {
    for (const stack of [msk, selfManaged]) {
      const table = resource(stack.template, "StateTable");
      expect(table).toMatchObject({ DeletionPolicy: "Retain", UpdateReplacePolicy: "Retain" });
      expect(table.Properties).toMatchObject({
        DeletionProtectionEnabled: true,
        BillingMode: "PAY_PER_REQUEST",
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        SSESpecification: { SSEEnabled: true },
      });
    }
    const table = resource(msk.template, "StateTable");
    // The key schema createStateTable gives tests and the local runner, as DynamoDB reports it.
    const client = new DynamoDBClient(awsTestClientConfig(testEnvironment().awsEndpoint));
    const tableName = uniqueName("state");
    await createStateTable(client, tableName);
    const { Table: created } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    const byName = (a: { AttributeName?: string }, b: { AttributeName?: string }): number => (a.AttributeName ?? "").localeCompare(b.AttributeName ?? "");
    expect(table.Properties["KeySchema"]).toEqual(created?.KeySchema);
    expect([...(table.Properties["AttributeDefinitions"] as { AttributeName: string }[])].sort(byName)).toEqual([...(created?.AttributeDefinitions ?? [])].sort(byName));
    // And DynamoDB takes the template's own definition as it stands.
    const fromTemplate = uniqueName("state-template");
    const { TableDescription } = await client.send(
      new CreateTableCommand({ TableName: fromTemplate, ...(table.Properties as Pick<ConstructorParameters<typeof CreateTableCommand>[0], "KeySchema" | "AttributeDefinitions" | "BillingMode">) }),
    );
    expect(TableDescription?.KeySchema).toEqual(created?.KeySchema);
  });

  it("has the Glue database the functions are configured with, kept when the stack goes", () => {
    for (const [stack, name] of [[msk, "kafka_iceberg_export_ci"], [selfManaged, "lake"]] as const) {
      const database = resource(stack.template, "GlueDatabase");
      expect(database).toMatchObject({ DeletionPolicy: "Retain", Properties: { CatalogId: { Ref: "AWS::AccountId" }, DatabaseInput: { Name: name } } });
      for (const fn of ["IngestLambdaFunction", "CommitLambdaFunction", "MaintainLambdaFunction"]) {
        expect((resource(stack.template, fn).Properties["Environment"] as { Variables: Record<string, unknown> }).Variables["GLUE_DATABASE"]).toBe(name);
      }
    }
  });
});

describe("the alarms", () => {
  const publishedByIngest = ingestMetrics({ totals: {} } as Parameters<typeof ingestMetrics>[0], 0).map((point) => point.name);
  const publishedByCommit = commitMetrics({ tables: [], failures: [], tablesLeft: [] }, 0).map((point) => point.name);

  it("watch the staged backlog age and commit failures of the commit function's metrics", () => {
    const backlog = resource(msk.template, "StagedBacklogAgeAlarm").Properties;
    expect(backlog).toMatchObject({
      Namespace: "KafkaIcebergExport",
      MetricName: "StagedBacklogAge",
      Dimensions: [{ Name: "service", Value: "commit" }],
      Statistic: "Maximum",
      Period: 60,
      Threshold: 15 * 60_000,
      ComparisonOperator: "GreaterThanThreshold",
      TreatMissingData: "breaching",
      AlarmActions: [alarmTopic],
    });
    const failures = resource(msk.template, "CommitFailuresAlarm").Properties;
    expect(failures).toMatchObject({ Namespace: "KafkaIcebergExport", MetricName: "CommitFailures", Dimensions: [{ Name: "service", Value: "commit" }] });
    const overrun = resource(msk.template, "CommitRoundOverrunAlarm").Properties;
    expect(overrun).toMatchObject({ MetricName: "CommitLatency", Threshold: 60_000, Dimensions: [{ Name: "service", Value: "commit" }] });
    const missing = resource(msk.template, "MissingStagedFilesAlarm").Properties;
    expect(missing).toMatchObject({ Namespace: "KafkaIcebergExport", MetricName: "MissingStagedFiles", Threshold: 0, AlarmActions: [alarmTopic] });
    expect(missing["AlarmDescription"]).toContain("drop-missing-staged");
    expect(publishedByCommit).toEqual(expect.arrayContaining([backlog["MetricName"], failures["MetricName"], missing["MetricName"], overrun["MetricName"], "TablesLeftForNextRound"]));
    expect(resource(selfManaged.template, "StagedBacklogAgeAlarm").Properties["AlarmActions"]).toEqual([]);
  });

  it("watch the ingest function's failed invocations: a batch retried for 15 minutes while its partition waits", () => {
    expect(resource(msk.template, "IngestFailuresAlarm").Properties).toMatchObject({
      Namespace: "AWS/Lambda",
      MetricName: "Errors",
      Dimensions: [{ Name: "FunctionName", Value: { Ref: "IngestLambdaFunction" } }],
      Statistic: "Sum",
      Period: 300,
      EvaluationPeriods: 3,
      Threshold: 0,
      ComparisonOperator: "GreaterThanThreshold",
      AlarmActions: [alarmTopic],
    });
  });

  it("watch the share of invalid records among the records ingest read", () => {
    const alarm = resource(msk.template, "InvalidRecordRateAlarm").Properties;
    const metrics = alarm["Metrics"] as { Id: string; Expression?: string; MetricStat?: { Metric: { Namespace: string; MetricName: string; Dimensions: unknown } } }[];
    const stats = metrics.flatMap((metric) => (metric.MetricStat === undefined ? [] : [metric.MetricStat.Metric]));
    expect(stats).toEqual([
      { Namespace: "KafkaIcebergExport", MetricName: "InvalidRecords", Dimensions: [{ Name: "service", Value: "ingest" }] },
      { Namespace: "KafkaIcebergExport", MetricName: "RecordsIn", Dimensions: [{ Name: "service", Value: "ingest" }] },
    ]);
    expect(publishedByIngest).toEqual(expect.arrayContaining(stats.map((metric) => metric.MetricName)));
    expect(metrics.find((metric) => metric.Expression !== undefined)?.Expression).toBe("100 * invalid / records");
    expect(alarm).toMatchObject({ Threshold: 1, ComparisonOperator: "GreaterThanThreshold" });
  });
});

describe("the alarms on a lost state store and topics never enabled", () => {
  it("alarm on the StateStoreMissing count ingest publishes when the state store is missing or emptied", () => {
    const alarm = resource(msk.template, "StateStoreMissingAlarm").Properties;
    expect(alarm).toMatchObject({
      Namespace: "KafkaIcebergExport",
      MetricName: "StateStoreMissing",
      Dimensions: [{ Name: "service", Value: "ingest" }],
      Statistic: "Sum",
      Threshold: 0,
      ComparisonOperator: "GreaterThanThreshold",
      AlarmActions: [alarmTopic],
    });
    expect(ingestFailureMetrics(new StateStoreMissingError("gone")).map((point) => point.name)).toEqual([alarm["MetricName"]]);
  });

  it("alarm on RecordsNotExported of any topic the stack subscribes to, by its topic dimension", () => {
    const alarm = resource(msk.template, "RecordsNotExportedAlarm").Properties;
    const [query] = alarm["Metrics"] as { Expression: string; Period: number }[];
    expect(query?.Expression).toBe("SELECT SUM(RecordsNotExported) FROM SCHEMA(KafkaIcebergExport, service, topic) WHERE service = 'ingest'");
    expect(query?.Period).toBe(60);
    expect(alarm).toMatchObject({ Threshold: 0, ComparisonOperator: "GreaterThanThreshold", AlarmActions: [alarmTopic] });
    const [point] = notExportedMetrics({ partitions: [], totals: {} as Parameters<typeof ingestMetrics>[0]["totals"], notExported: [{ topic: "orders", records: 1 }] });
    expect(point).toMatchObject({ name: "RecordsNotExported", dimensions: { topic: "orders" } });
    expect(resource(selfManaged.template, "RecordsNotExportedAlarm").Properties["AlarmActions"]).toEqual([]);
  });
});

describe("the IAM policies", () => {
  it("give each function its own role and create no shared one", () => {
    expect(Object.keys(msk.template.Resources)).not.toContain("IamRoleLambdaExecution");
    expect(resourcesOfType(msk.template, "AWS::IAM::Role").map(([id]) => id)).toEqual(["IngestRole", "CommitRole", "MaintainRole"]);
  });

  it("allow no action by wildcard, and Resource * only for the actions AWS grants no other way", () => {
    for (const stack of [msk, selfManaged, s3Tables, polaris]) {
      const statements = allowStatements(stack.template);
      expect(statements.length).toBeGreaterThan(5);
      for (const { where, statement } of statements) {
        for (const action of asList(statement.Action)) expect(action, where).not.toContain("*");
        if (resourceTexts(statement).includes("*")) {
          expect(asList(statement.Action).filter((action) => wildcardResourceExceptions[action] === undefined), where).toEqual([]);
        }
      }
    }
  });

  it("keep ingest away from Glue and let it write only data files under the warehouse prefix", () => {
    for (const stack of [msk, selfManaged]) {
      // The on-failure destination (a bucket in the MSK stack) is checked with the event sources above.
      const statements = rolePolicies(stack.template, "IngestRole")
        .filter((policy) => policy.PolicyName !== "ingest-on-failure")
        .flatMap((policy) => policy.PolicyDocument.Statement);
      expect(actions(statements).filter((action) => action.startsWith("glue:"))).toEqual([]);
      expect(actions(statements).filter((action) => action.startsWith("s3:"))).toEqual(["s3:PutObject"]);
    }
    const [put] = statementsFor(roleStatements(selfManaged.template, "IngestRole"), "s3:PutObject");
    expect(put?.Resource).toEqual({ "Fn::Join": ["", [{ "Fn::GetAtt": ["WarehouseBucket", "Arn"] }, "/tables/*/data/*"]] });
  });

  it("let commit read and write under the warehouse prefix and change only tables of the stack's database", () => {
    const statements = roleStatements(selfManaged.template, "CommitRole");
    for (const action of ["s3:GetObject", "s3:PutObject"]) {
      const granted = statementsFor(statements, action);
      expect(granted.map((statement) => statement.Resource)).toEqual([{ "Fn::Join": ["", [{ "Fn::GetAtt": ["WarehouseBucket", "Arn"] }, "/tables/*"]] }]);
    }
    const glueActions = actions(statements).filter((action) => action.startsWith("glue:"));
    expect(glueActions.sort()).toEqual(["glue:CreateTable", "glue:GetDatabase", "glue:GetTable", "glue:UpdateTable"]);
    for (const statement of statements.filter((entry) => asList(entry.Action).some((action) => action.startsWith("glue:")))) {
      for (const text of resourceTexts(statement)) expect(text).toMatch(/^\{"Fn::Join":\["",\["arn:",.*,":glue:",.*"(catalog|database\/lake|table\/lake\/\*)"\]\]\}$/);
    }
    expect(statementsFor(statements, "glue:UpdateTable").flatMap(resourceTexts).some((text) => text.includes("table/lake/*"))).toBe(true);
  });

  it("scope both roles' state access to the stack's table and their logs to their own log group", () => {
    for (const [role, logGroup] of [["IngestRole", "IngestLogGroup"], ["CommitRole", "CommitLogGroup"]] as const) {
      const statements = roleStatements(msk.template, role);
      const dynamodb = statements.filter((statement) => asList(statement.Action).some((action) => action.startsWith("dynamodb:")));
      expect(dynamodb.length).toBeGreaterThan(0);
      for (const statement of dynamodb) expect(statement.Resource).toEqual({ "Fn::GetAtt": ["StateTable", "Arn"] });
      expect(statementsFor(statements, "logs:PutLogEvents").map((statement) => statement.Resource)).toEqual([{ "Fn::GetAtt": [logGroup, "Arn"] }]);
    }
  });

  // Which items of the state table each function may touch, by partition key and, on the
  // topic-partition items both update, by attribute (the layout: dynamodb-state-keys.ts).
  // test/integration/deploy/state-table-access.test.ts evaluates these against the requests
  // the functions' code sends.
  const onlyUpdating = (attributes: string[]) => ({
    "ForAllValues:StringLike": { "dynamodb:LeadingKeys": ["topic#*"] },
    Null: { "dynamodb:LeadingKeys": "false" },
    "ForAllValues:StringEquals": { "dynamodb:Attributes": ["pk", "sk", ...attributes] },
    StringEqualsIfExists: { "dynamodb:ReturnValues": ["NONE", "UPDATED_OLD", "UPDATED_NEW"] },
  });
  const onlyKeys = (...keys: string[]) => ({ "ForAllValues:StringLike": { "dynamodb:LeadingKeys": keys }, Null: { "dynamodb:LeadingKeys": "false" } });

  it("let ingest read its state, stage files and schema state under table#, and move only the staged watermark", () => {
    const dynamodb = roleStatements(msk.template, "IngestRole").filter((statement) => asList(statement.Action).some((action) => action.startsWith("dynamodb:")));
    expect(dynamodb.map(({ Action, Condition }) => ({ Action, Condition }))).toEqual([
      { Action: ["dynamodb:GetItem"], Condition: onlyKeys("exports", "topic#*", "table#*") },
      { Action: ["dynamodb:PutItem", "dynamodb:DeleteItem"], Condition: onlyKeys("table#*") },
      { Action: ["dynamodb:UpdateItem"], Condition: onlyUpdating(["stagedWatermark", "topic", "partition"]) },
    ]);
  });

  it("let commit read exports and tables, hold leases under lease#, delete committed files and raise only the committed offset", () => {
    const dynamodb = roleStatements(msk.template, "CommitRole").filter((statement) => asList(statement.Action).some((action) => action.startsWith("dynamodb:")));
    expect(dynamodb.map(({ Action, Condition }) => ({ Action, Condition }))).toEqual([
      { Action: ["dynamodb:GetItem", "dynamodb:Query"], Condition: onlyKeys("exports", "table#*") },
      { Action: ["dynamodb:PutItem", "dynamodb:DeleteItem"], Condition: onlyKeys("lease#*") },
      { Action: ["dynamodb:DeleteItem"], Condition: onlyKeys("table#*") },
      { Action: ["dynamodb:UpdateItem"], Condition: onlyUpdating(["committedOffset"]) },
    ]);
  });

  it("grant no DynamoDB write, Scan, batch or PartiQL action without a partition-key condition", () => {
    for (const stack of [msk, selfManaged, s3Tables, polaris]) {
      for (const { where, statement } of allowStatements(stack.template)) {
        const dynamodb = asList(statement.Action).filter((action) => action.startsWith("dynamodb:"));
        if (dynamodb.length === 0) continue;
        expect(dynamodb.filter((action) => /Scan|Batch|PartiQL|Transact/.test(action)), where).toEqual([]);
        expect(JSON.stringify(statement.Condition), where).toContain('"dynamodb:LeadingKeys"');
      }
    }
  });

  it("give the MSK event source the cluster, its topics and consumer group, and the registry secret, nothing more", () => {
    const statements = roleStatements(msk.template, "IngestRole");
    expect(statementsFor(statements, "kafka:DescribeClusterV2").map((statement) => statement.Resource)).toEqual([clusterArn]);
    expect(statementsFor(statements, "kafka-cluster:ReadData").map((statement) => statement.Resource)).toEqual([
      [`arn:aws:kafka:us-east-1:${account}:topic/events/0b1c2d3e-aaaa-bbbb-cccc-0123456789ab-7/orders`, `arn:aws:kafka:us-east-1:${account}:topic/events/0b1c2d3e-aaaa-bbbb-cccc-0123456789ab-7/clicks`],
    ]);
    expect(statementsFor(statements, "kafka-cluster:AlterGroup").map((statement) => statement.Resource)).toEqual([
      `arn:aws:kafka:us-east-1:${account}:group/events/0b1c2d3e-aaaa-bbbb-cccc-0123456789ab-7/kafka-iceberg-export-ci`,
    ]);
    expect(statementsFor(statements, "secretsmanager:GetSecretValue").map((statement) => statement.Resource)).toEqual([registrySecret]);
    expect(actions(roleStatements(msk.template, "CommitRole")).filter((action) => action.startsWith("secretsmanager:") || action.startsWith("kafka"))).toEqual([]);
  });

  it("give the self-managed event source its secrets, the key that encrypts them via Secrets Manager only, and the VPC", () => {
    const statements = roleStatements(selfManaged.template, "IngestRole");
    expect(statementsFor(statements, "secretsmanager:GetSecretValue").map((statement) => statement.Resource)).toEqual([[scramSecret, rootCaSecret]]);
    expect(statementsFor(statements, "kms:Decrypt")).toEqual([
      {
        Sid: "DecryptSecrets",
        Effect: "Allow",
        Action: ["kms:Decrypt"],
        Resource: kmsKey,
        Condition: { StringEquals: { "kms:ViaService": { "Fn::Join": ["", ["secretsmanager.", { Ref: "AWS::Region" }, ".amazonaws.com"]] } } },
      },
    ]);
    expect(statementsFor(statements, "ec2:CreateNetworkInterface")).toHaveLength(1);
    expect(actions(statements).filter((action) => action.startsWith("kafka"))).toEqual([]);
  });
});

describe("with an Iceberg REST catalog", () => {
  const functions = ["IngestLambdaFunction", "CommitLambdaFunction", "MaintainLambdaFunction"];
  const variables = (stack: PackagedStack, fn: string): Record<string, unknown> => (resource(stack.template, fn).Properties["Environment"] as { Variables: Record<string, unknown> }).Variables;

  it("passes S3 Tables' endpoint and table bucket to every function, with no Glue database and the service's own maintenance", () => {
    for (const fn of functions) {
      expect(variables(s3Tables, fn)).toMatchObject({ CATALOG: "rest", REST_CATALOG_URI: s3TablesParameters.restCatalogUri, REST_CATALOG_WAREHOUSE: tableBucketArn, REST_CATALOG_NAMESPACE: "kafka" });
      expect(Object.keys(variables(s3Tables, fn))).not.toContain("GLUE_DATABASE");
    }
    expect(variables(s3Tables, "MaintainLambdaFunction")).toMatchObject({ MAINTAIN_EXPIRE_SNAPSHOTS: "false", MAINTAIN_COMPACT: "false", MAINTAIN_REMOVE_ORPHANS: "false" });
    expect(resourcesOfType(s3Tables.template, "AWS::Glue::Database")).toEqual([]);
    expect(s3Tables.template.Outputs).toMatchObject({ RestCatalogUri: { Value: s3TablesParameters.restCatalogUri }, RestCatalogWarehouse: { Value: tableBucketArn }, RestCatalogNamespace: { Value: "kafka" } });
    expect(Object.keys(s3Tables.template.Outputs ?? {})).not.toContain("GlueDatabase");
  });

  it("grants S3 Tables' actions on the table bucket and its tables only, and nothing in Glue", () => {
    for (const role of ["IngestRole", "CommitRole", "MaintainRole"]) {
      const statements = roleStatements(s3Tables.template, role);
      const tableStatements = statements.filter((statement) => asList(statement.Action).some((action) => action.startsWith("s3tables:")));
      expect(tableStatements.flatMap(resourceTexts).sort()).toEqual([tableBucketArn, `${tableBucketArn}/table/*`]);
      expect(actions(statements).filter((action) => action.startsWith("glue:"))).toEqual([]);
    }
    expect(statementsFor(roleStatements(s3Tables.template, "CommitRole"), "s3tables:UpdateTableMetadataLocation").flatMap(resourceTexts)).toEqual([`${tableBucketArn}/table/*`]);
    expect(statementsFor(roleStatements(s3Tables.template, "IngestRole"), "s3tables:UpdateTableMetadataLocation")).toEqual([]);
    expect(statementsFor(roleStatements(s3Tables.template, "MaintainRole"), "s3tables:CreateTable")).toEqual([]);
  });

  it("gives Polaris its OAuth2 client and scope, and every function its secret (decrypted via Secrets Manager only), never the secret itself", () => {
    for (const [fn, role] of [["IngestLambdaFunction", "IngestRole"], ["CommitLambdaFunction", "CommitRole"], ["MaintainLambdaFunction", "MaintainRole"]] as const) {
      expect(variables(polaris, fn)).toMatchObject({
        CATALOG: "rest",
        REST_CATALOG_URI: polarisParameters.restCatalogUri,
        REST_CATALOG_WAREHOUSE: "lake",
        REST_CATALOG_AUTH: "oauth2",
        REST_CATALOG_OAUTH_CLIENT_ID: "exporter",
        REST_CATALOG_OAUTH_SCOPE: "PRINCIPAL_ROLE:ALL",
        REST_CATALOG_SECRET_ARN: polarisSecret,
      });
      expect(Object.keys(variables(polaris, fn))).not.toContain("REST_CATALOG_OAUTH_CLIENT_SECRET");
      const statements = roleStatements(polaris.template, role);
      expect(statementsFor(statements, "secretsmanager:GetSecretValue").map((statement) => statement.Resource)).toEqual([polarisSecret]);
      expect(statementsFor(statements, "kms:Decrypt").map((statement) => statement.Resource)).toEqual([kmsKey]);
      expect(actions(statements).filter((action) => action.startsWith("glue:") || action.startsWith("s3tables:"))).toEqual([]);
    }
    expect(resourcesOfType(polaris.template, "AWS::Glue::Database")).toEqual([]);
  });

  it("fails packaging, naming the parameter, for S3 Tables without its table bucket and for OAuth2 without a secret", async () => {
    expect(await packageStackFailure({ ...s3TablesParameters, restCatalogWarehouse: "exports" })).toContain("configuration setting restCatalogWarehouse: must be the table bucket's ARN with S3 Tables");
    expect(await packageStackFailure(Object.fromEntries(Object.entries(polarisParameters).filter(([name]) => name !== "restCatalogSecretArn")))).toContain("configuration setting restCatalogSecretArn: is required with restCatalogAuth=oauth2");
  });
});

describe("the outputs", () => {
  it("tell the enable command where tables go and how they are partitioned", () => {
    expect(selfManaged.template.Outputs).toMatchObject({
      WarehouseLocation: { Value: { "Fn::Join": ["", ["s3://", { Ref: "WarehouseBucket" }, "/tables"]] } },
      GlueDatabase: { Value: "lake" },
      StateTableName: { Value: { Ref: "StateTable" } },
      DefaultPartitioning: { Value: "day" },
    });
  });
});

describe("the bundled functions", () => {
  // The bundles npm run package built (dist/), run in a fresh Node process against moto as
  // Lambda would load them: nothing missing from the bundle, the secret read at cold start.
  async function invoke(fn: "ingest" | "commit", event: unknown, env: Record<string, string>): Promise<{ code: number; output: string }> {
    // A failure is printed as the Lambda runtime logs it, by name and message: an uncaught
    // rejection would make Node print the bundle's one line of source first, and lose the rest.
    const script = [
      "const { handler } = await import(process.argv[1]);",
      "try { await handler(JSON.parse(process.argv[2]), { getRemainingTimeInMillis: () => 30000 }); console.log('handler resolved'); }",
      "catch (error) { console.error(`handler failed: ${error?.name}: ${error?.message}`); process.exitCode = 1; }",
    ].join(" ");
    const moto = testEnvironment().awsEndpoint;
    const base = { PATH: process.env["PATH"] ?? "", AWS_ENDPOINT_URL: moto, AWS_REGION: "us-east-1", AWS_ACCESS_KEY_ID: "testing", AWS_SECRET_ACCESS_KEY: "testing" };
    const bundle = pathToFileURL(join(projectRoot, "dist", fn, `${fn}.mjs`)).href;
    return run(process.execPath, ["--input-type=module", "-e", script, bundle, JSON.stringify(event)], { ...base, ...env });
  }

  it("carry the package version and the commit they were built from, for the data files' created_by", () => {
    const { version, build } = buildInfo();
    for (const fn of ["ingest", "commit"]) {
      const code = readFileSync(join(projectRoot, "dist", fn, `${fn}.mjs`), "utf8");
      expect(code).not.toContain("__KAFKA_ICEBERG_EXPORT_");
      expect(code).toContain(JSON.stringify(version));
      expect(code).toContain(JSON.stringify(build));
    }
    expect(build).toMatch(/^[0-9a-f]{12}$/);
  });

  it("load and run: ingest reads the registry's credentials from Secrets Manager and the state table", async () => {
    const config = awsTestClientConfig(testEnvironment().awsEndpoint);
    const stateTable = uniqueName("state");
    await createStateTable(new DynamoDBClient(config), stateTable);
    const { SecretsManagerClient, CreateSecretCommand } = await import("@aws-sdk/client-secrets-manager");
    const { ARN: secretArn } = await new SecretsManagerClient(config).send(new CreateSecretCommand({ Name: uniqueName("registry"), SecretString: '{"username":"exporter","password":"s3cret"}' }));
    const env = {
      WAREHOUSE: "s3://warehouse/tables",
      CATALOG: "glue",
      GLUE_DATABASE: "lake",
      STATE_TABLE: stateTable,
      SCHEMA_REGISTRY_URL: testEnvironment().schemaRegistryUrl,
      SCHEMA_REGISTRY_SECRET_ARN: secretArn ?? "",
    };
    const event: unknown = JSON.parse(readFileSync(new URL("../../fixtures/events/msk-event.json", import.meta.url), "utf8"));
    // A state table no `enable` ever wrote to is a missing store: the batch fails, retryably.
    const unused = await invoke("ingest", event, env);
    expect(unused.output).toContain('"code":"STATE_STORE_MISSING","retryable":true');
    expect(unused.output).toContain('"StateStoreMissing"');
    expect(unused.code).not.toBe(0);

    await createDynamoDbStateStore({ client: new DynamoDBClient(config), tableName: stateTable }).ensureStoreMarker();
    const ingest = await invoke("ingest", event, env);
    expect(ingest.output).toContain("handler resolved");
    // No topic is enabled in the state table: every record is counted, per topic, and dropped.
    expect(ingest.output).toMatch(/"recordsIn":[1-9]/);
    expect(ingest.output).toMatch(/"RecordsNotExported":[1-9]/);
    expect(ingest.code).toBe(0);

    const missingSecret = await invoke("ingest", event, { ...env, SCHEMA_REGISTRY_SECRET_ARN: `${secretArn ?? ""}-gone` });
    expect(missingSecret.output).toContain("configuration setting SCHEMA_REGISTRY_SECRET_ARN: cannot read the secret");
    expect(missingSecret.code).not.toBe(0);

    const commit = await invoke("commit", {}, { WAREHOUSE: env.WAREHOUSE, CATALOG: "glue", GLUE_DATABASE: "lake", STATE_TABLE: stateTable });
    expect(commit.output).toContain("handler resolved");
    expect(commit.output).toContain('"SnapshotsCommitted"');
    expect(commit.code).toBe(0);

    // Commit reads a REST catalog's secret at cold start too (REST_CATALOG_SECRET_ARN).
    const commitEnv = { WAREHOUSE: env.WAREHOUSE, CATALOG: "glue", GLUE_DATABASE: "lake", STATE_TABLE: stateTable };
    const { ARN: catalogSecretArn } = await new SecretsManagerClient(config).send(new CreateSecretCommand({ Name: uniqueName("catalog"), SecretString: '{"clientId":"exporter","clientSecret":"s3cret"}' }));
    const withSecret = await invoke("commit", {}, { ...commitEnv, REST_CATALOG_SECRET_ARN: catalogSecretArn ?? "" });
    expect(withSecret.output).toContain("handler resolved");
    const missingCatalogSecret = await invoke("commit", {}, { ...commitEnv, REST_CATALOG_SECRET_ARN: `${catalogSecretArn ?? ""}-gone` });
    expect(missingCatalogSecret.output).toContain("configuration setting REST_CATALOG_SECRET_ARN: cannot read the secret");
    expect(missingCatalogSecret.code).not.toBe(0);
  });
});
