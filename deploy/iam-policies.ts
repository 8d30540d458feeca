// The inline IAM policies of the two functions' roles, least privilege (issue #7): ingest
// writes data files and stages them, and never touches Glue; commit reads and writes under
// the warehouse prefix and creates and updates tables only in this stack's Glue database.
// Every grant is scoped to this stack's resources; the few `*` resources are where AWS
// requires them, listed in `wildcardResourceExceptions` and in docs/deploy.md.
//
// In the state table each function writes only the items it owns, by partition key
// (dynamodb:LeadingKeys; the layout is lib/adapters/aws/dynamodb-state-keys.ts) and, on the
// `topic#` items both update, by attribute (dynamodb:Attributes): ingest stages files, saves
// schema state and moves the staged watermark; commit takes and drops leases, deletes the
// staged files it committed and raises the committed offset. Neither writes topic exports
// (or the store's marker under `exports`): export control does, with the operator's rights.
// A transaction's items are authorised one by one as the PutItem, UpdateItem or DeleteItem
// they are, conditions included ("Using IAM with DynamoDB transactions").
import { partitionKeyPrefixes, topicExportsPartitionKey } from "../lib/adapters/aws/dynamodb-state-keys.js";
import type { RestCatalogParameters } from "./rest-catalog-parameters.js";
import type { KafkaSource, StackParameters } from "./stack-parameters.js";

/** A CloudFormation value: a literal or an intrinsic function. */
export type CfnValue = string | { Ref: string } | { "Fn::GetAtt": [string, string] } | { "Fn::Join": [string, CfnValue[]] };

export interface PolicyStatement {
  Sid: string;
  Effect: "Allow";
  Action: string[];
  Resource: CfnValue | CfnValue[];
  Condition?: Condition;
}

/** Operator → condition key → value(s). */
export type Condition = Record<string, Record<string, CfnValue | string[]>>;

export interface InlinePolicy {
  PolicyName: string;
  PolicyDocument: { Version: "2012-10-17"; Statement: PolicyStatement[] };
}

/** Logical ids of the stack's resources (infra/*.yml; the log groups are the framework's). */
export const logicalIds = {
  bucket: "WarehouseBucket",
  stateTable: "StateTable",
  ingestLogGroup: "IngestLogGroup",
  commitLogGroup: "CommitLogGroup",
  maintainLogGroup: "MaintainLogGroup",
  glueDatabase: "GlueDatabase",
} as const;

/**
 * Actions AWS lets a policy grant only on Resource "*": the EC2 calls that the Kafka event
 * source makes with the function's role to put its pollers' network interfaces into the
 * cluster's VPC. The Describe* calls have no resource-level permissions at all, and the
 * interfaces are created by Lambda under ids nobody knows in advance; the Lambda guide
 * ("Configuring Lambda permissions for Amazon MSK event source mappings", "... self-managed
 * Apache Kafka") and AWSLambdaMSKExecutionRole grant all six on "*".
 */
export const wildcardResourceExceptions: Readonly<Record<string, string>> = {
  "ec2:CreateNetworkInterface": "the event source's network interfaces are created by Lambda in the cluster's VPC; AWS documents this grant on Resource *",
  "ec2:DeleteNetworkInterface": "deletes those interfaces, whose ids are not known in advance",
  "ec2:DescribeNetworkInterfaces": "Describe* actions support no resource-level permissions",
  "ec2:DescribeVpcs": "Describe* actions support no resource-level permissions",
  "ec2:DescribeSubnets": "Describe* actions support no resource-level permissions",
  "ec2:DescribeSecurityGroups": "Describe* actions support no resource-level permissions",
  "lakeformation:GetDataAccess": "Lake Formation's credential vending (Glue's Iceberg REST endpoint with vended credentials) supports no resource-level permissions; Lake Formation's grants decide the tables",
};

const pseudo = {
  partition: { Ref: "AWS::Partition" },
  region: { Ref: "AWS::Region" },
  account: { Ref: "AWS::AccountId" },
} as const;

function join(...parts: CfnValue[]): CfnValue {
  return { "Fn::Join": ["", parts] };
}

function arnOf(logicalId: string): CfnValue {
  return { "Fn::GetAtt": [logicalId, "Arn"] };
}

function glueArn(resource: string, account: CfnValue = pseudo.account): CfnValue {
  return join("arn:", pseudo.partition, ":glue:", pseudo.region, ":", account, ":", resource);
}

/** Items of these partition keys only; `prefix#*` for a kind of item. */
function leadingKeys(...partitionKeys: string[]): Condition {
  return {
    "ForAllValues:StringLike": { "dynamodb:LeadingKeys": partitionKeys },
    // ForAllValues holds for a request that carries no partition key at all; require one.
    Null: { "dynamodb:LeadingKeys": "false" },
  };
}

/**
 * An UpdateItem that may set, and test in its condition, only these attributes (the key
 * attributes must be listed), and may not return the item's other attributes.
 */
function updatesOnly(partitionKey: string, attributes: string[]): Condition {
  return {
    ...leadingKeys(partitionKey),
    "ForAllValues:StringEquals": { "dynamodb:Attributes": ["pk", "sk", ...attributes] },
    StringEqualsIfExists: { "dynamodb:ReturnValues": ["NONE", "UPDATED_OLD", "UPDATED_NEW"] },
  };
}

const stateKeys = {
  exports: topicExportsPartitionKey,
  topics: `${partitionKeyPrefixes.topic}*`,
  tables: `${partitionKeyPrefixes.table}*`,
  leases: `${partitionKeyPrefixes.lease}*`,
} as const;

/** The attributes of a `topic#` item each function sets (dynamodb-stage-transaction.ts, dynamodb-commit-bookkeeping.ts). */
const progressAttributes = { ingest: ["stagedWatermark", "topic", "partition"], commit: ["committedOffset"] } as const;

function policy(name: string, statements: PolicyStatement[]): InlinePolicy {
  return { PolicyName: name, PolicyDocument: { Version: "2012-10-17", Statement: statements } };
}

export function ingestPolicies(parameters: StackParameters): InlinePolicy[] {
  const { warehousePrefix } = parameters;
  const storage: PolicyStatement[] = [
    { Sid: "Logs", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: arnOf(logicalIds.ingestLogGroup) },
    // Data files only: a table's files go to `<warehouse>/<namespace>/<table>/data/...`.
    { Sid: "WriteDataFiles", Effect: "Allow", Action: ["s3:PutObject"], Resource: join(arnOf(logicalIds.bucket), `/${warehousePrefix}/*/data/*`) },
    // Topic export (and the store's marker), watermark, schema state; never a lease.
    { Sid: "ReadState", Effect: "Allow", Action: ["dynamodb:GetItem"], Resource: arnOf(logicalIds.stateTable), Condition: leadingKeys(stateKeys.exports, stateKeys.topics, stateKeys.tables) },
    // Under `table#`: the staged-batch item (in the staging transaction), the parts of a big
    // batch's file list, the schema state; and the deletion of the parts of an attempt that
    // lost the race.
    { Sid: "StageFilesAndSchemaState", Effect: "Allow", Action: ["dynamodb:PutItem", "dynamodb:DeleteItem"], Resource: arnOf(logicalIds.stateTable), Condition: leadingKeys(stateKeys.tables) },
    // The staged watermark (in the staging transaction); not the committed offset beside it.
    { Sid: "StagedWatermark", Effect: "Allow", Action: ["dynamodb:UpdateItem"], Resource: arnOf(logicalIds.stateTable), Condition: updatesOnly(stateKeys.topics, [...progressAttributes.ingest]) },
  ];
  const secrets = secretStatements(parameters);
  return [
    policy("ingest-storage", storage),
    ...kafkaSourcePolicies(parameters),
    ...(secrets.length === 0 ? [] : [policy("ingest-secrets", secrets)]),
    ...onFailurePolicies(parameters),
    ...catalogPolicies("ingest", parameters),
  ];
}

// The event source mapping writes to its on-failure destination with the function's role.
function onFailurePolicies(parameters: StackParameters): InlinePolicy[] {
  const destination = parameters.failureHandling.onFailureDestinationArn;
  if (destination === undefined) return [];
  const service = destination.split(":")[2];
  const statements: PolicyStatement[] =
    service === "sqs"
      ? [{ Sid: "OnFailureQueue", Effect: "Allow", Action: ["sqs:SendMessage"], Resource: destination }]
      : service === "sns"
        ? [{ Sid: "OnFailureTopic", Effect: "Allow", Action: ["sns:Publish"], Resource: destination }]
        : [
            { Sid: "OnFailureBucket", Effect: "Allow", Action: ["s3:ListBucket"], Resource: destination },
            { Sid: "OnFailureObjects", Effect: "Allow", Action: ["s3:PutObject"], Resource: `${destination}/*` },
          ];
  return [policy("ingest-on-failure", statements)];
}

export function commitPolicies(parameters: StackParameters): InlinePolicy[] {
  const { warehousePrefix } = parameters;
  return [
    policy("commit-storage", [
      { Sid: "Logs", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: arnOf(logicalIds.commitLogGroup) },
      // Reads staged files and metadata, writes merged data files, manifests and metadata.
      { Sid: "WarehouseObjects", Effect: "Allow", Action: ["s3:GetObject", "s3:PutObject"], Resource: join(arnOf(logicalIds.bucket), `/${warehousePrefix}/*`) },
      // Deletes the staged files a merge replaced once committed, and the metadata files that
      // fall off the metadata log (write.metadata.delete-after-commit.enabled).
      {
        Sid: "ReplacedFiles",
        Effect: "Allow",
        Action: ["s3:DeleteObject"],
        Resource: [join(arnOf(logicalIds.bucket), `/${warehousePrefix}/*/data/*`), join(arnOf(logicalIds.bucket), `/${warehousePrefix}/*/metadata/*`)],
      },
      // Topic exports (and the store's marker), staged files and schema state.
      { Sid: "ReadState", Effect: "Allow", Action: ["dynamodb:GetItem", "dynamodb:Query"], Resource: arnOf(logicalIds.stateTable), Condition: leadingKeys(stateKeys.exports, stateKeys.tables) },
      // Takes, renews and releases the per-table commit lease.
      { Sid: "CommitLease", Effect: "Allow", Action: ["dynamodb:PutItem", "dynamodb:DeleteItem"], Resource: arnOf(logicalIds.stateTable), Condition: leadingKeys(stateKeys.leases) },
      // Deletes the staged-file items it committed (in transactions). DynamoDB conditions
      // cannot tell sort keys apart: this also covers the schema state item beside them.
      { Sid: "CommittedFiles", Effect: "Allow", Action: ["dynamodb:DeleteItem"], Resource: arnOf(logicalIds.stateTable), Condition: leadingKeys(stateKeys.tables) },
      // Raises the committed offset; not the staged watermark beside it.
      { Sid: "CommittedOffsets", Effect: "Allow", Action: ["dynamodb:UpdateItem"], Resource: arnOf(logicalIds.stateTable), Condition: updatesOnly(stateKeys.topics, [...progressAttributes.commit]) },
    ]),
    ...catalogPolicies("commit", parameters),
  ];
}

/**
 * Maintenance (SPEC.md §8) reads and rewrites table files, deletes what expiry and orphan
 * removal find, all under the warehouse prefix, lists it (the orphan scan), reads the topic
 * exports and staged files (never deleted), and updates the stack's tables in the catalog.
 */
export function maintainPolicies(parameters: StackParameters): InlinePolicy[] {
  const { warehousePrefix } = parameters;
  return [
    policy("maintain-storage", [
      { Sid: "Logs", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: arnOf(logicalIds.maintainLogGroup) },
      { Sid: "WarehouseObjects", Effect: "Allow", Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"], Resource: join(arnOf(logicalIds.bucket), `/${warehousePrefix}/*`) },
      { Sid: "ListWarehouse", Effect: "Allow", Action: ["s3:ListBucket"], Resource: arnOf(logicalIds.bucket), Condition: { StringLike: { "s3:prefix": `${warehousePrefix}/*` } } },
      { Sid: "ReadState", Effect: "Allow", Action: ["dynamodb:GetItem", "dynamodb:Query"], Resource: arnOf(logicalIds.stateTable), Condition: leadingKeys(stateKeys.exports, stateKeys.tables) },
    ]),
    ...catalogPolicies("maintain", parameters),
  ];
}

function kafkaSourcePolicies(parameters: StackParameters): InlinePolicy[] {
  const { kafka } = parameters;
  const statements = kafka.type === "msk" ? mskStatements(kafka, parameters) : selfManagedStatements(kafka);
  return statements.length === 0 ? [] : [policy("ingest-event-source", statements)];
}

function mskStatements(kafka: Extract<KafkaSource, { type: "msk" }>, parameters: StackParameters): PolicyStatement[] {
  const statements: PolicyStatement[] = [
    { Sid: "DescribeCluster", Effect: "Allow", Action: ["kafka:DescribeClusterV2", "kafka:GetBootstrapBrokers"], Resource: kafka.clusterArn },
    vpcStatement(),
  ];
  if (kafka.auth.type === "iam") {
    // IAM access control: the event source connects as the function's role. Topic and
    // group ARNs are the cluster's with `cluster/` replaced (MSK's IAM resource types).
    const topicArn = (topic: string): string => `${kafka.clusterArn.replace(":cluster/", ":topic/")}/${topic}`;
    const groupArn = `${kafka.clusterArn.replace(":cluster/", ":group/")}/${parameters.consumerGroup}`;
    statements.push(
      { Sid: "ConnectToCluster", Effect: "Allow", Action: ["kafka-cluster:Connect", "kafka-cluster:DescribeClusterDynamicConfiguration"], Resource: kafka.clusterArn },
      { Sid: "ReadTopics", Effect: "Allow", Action: ["kafka-cluster:DescribeTopic", "kafka-cluster:ReadData"], Resource: parameters.topics.map(topicArn) },
      { Sid: "ConsumerGroup", Effect: "Allow", Action: ["kafka-cluster:DescribeGroup", "kafka-cluster:AlterGroup"], Resource: groupArn },
    );
  }
  return statements;
}

function selfManagedStatements(kafka: Extract<KafkaSource, { type: "self-managed" }>): PolicyStatement[] {
  const statements: PolicyStatement[] = [];
  if (kafka.vpc !== undefined) statements.push(vpcStatement());
  return statements;
}

/** The broker credentials and root CA the event source reads, the registry's credentials ingest reads. */
function secretStatements(parameters: StackParameters): PolicyStatement[] {
  const { kafka } = parameters;
  const kafkaSecrets =
    kafka.type === "msk"
      ? kafka.auth.type === "iam" ? [] : [kafka.auth.secretArn]
      : [...(kafka.auth.type === "none" ? [] : [kafka.auth.secretArn]), ...(kafka.rootCaSecretArn === undefined ? [] : [kafka.rootCaSecretArn])];
  const statements: PolicyStatement[] = [];
  if (kafkaSecrets.length > 0) statements.push({ Sid: "KafkaSecrets", Effect: "Allow", Action: ["secretsmanager:GetSecretValue"], Resource: kafkaSecrets });
  if (parameters.schemaRegistrySecretArn !== undefined) {
    statements.push({ Sid: "RegistrySecret", Effect: "Allow", Action: ["secretsmanager:GetSecretValue"], Resource: parameters.schemaRegistrySecretArn });
  }
  return statements.length === 0 ? [] : [...statements, ...kmsStatements(parameters)];
}

function kmsStatements(parameters: StackParameters): PolicyStatement[] {
  if (parameters.secretsKmsKeyArn === undefined) return [];
  return [
    {
      Sid: "DecryptSecrets",
      Effect: "Allow",
      Action: ["kms:Decrypt"],
      Resource: parameters.secretsKmsKeyArn,
      // Only for Secrets Manager reading the secrets, not for decrypting anything else.
      Condition: { StringEquals: { "kms:ViaService": join("secretsmanager.", pseudo.region, ".amazonaws.com") } },
    },
  ];
}

function vpcStatement(): PolicyStatement {
  return { Sid: "EventSourceNetworkInterfaces", Effect: "Allow", Action: Object.keys(wildcardResourceExceptions), Resource: "*" };
}

type CatalogUser = "ingest" | "commit" | "maintain";

/**
 * The catalog: with Glue's API, commit creates and updates the stack's tables and maintain
 * updates them (ingest never calls it); with a REST catalog, all three load tables through
 * it (ingest learns a table's location from the catalog: S3 Tables assigns it) and read its
 * secret at cold start.
 */
function catalogPolicies(user: CatalogUser, parameters: StackParameters): InlinePolicy[] {
  const { catalog } = parameters;
  const statements =
    catalog.type === "glue"
      ? user === "ingest" ? [] : glueTableStatements(user, parameters.glueDatabase, pseudo.account)
      : [...restCatalogAccessStatements(user, catalog), ...restCatalogSecretStatements(catalog, parameters)];
  return statements.length === 0 ? [] : [policy(`${user}-catalog`, statements)];
}

// Glue authorises a table call against the catalog, the database and the table, for its API
// and for its Iceberg REST endpoint alike (AWS Glue guide, "Connecting to the Data Catalog
// using AWS Glue Iceberg REST endpoint").
function glueTableStatements(user: CatalogUser, database: string, account: CfnValue): PolicyStatement[] {
  const tableActions = { ingest: ["glue:GetTable"], commit: ["glue:GetTable", "glue:CreateTable", "glue:UpdateTable"], maintain: ["glue:GetTable", "glue:UpdateTable"] }[user];
  return [
    { Sid: "ReadDatabase", Effect: "Allow", Action: ["glue:GetDatabase"], Resource: [glueArn("catalog", account), glueArn(`database/${database}`, account)] },
    { Sid: "StackTables", Effect: "Allow", Action: tableActions, Resource: [glueArn("catalog", account), glueArn(`database/${database}`, account), glueArn(`table/${database}/*`, account)] },
  ];
}

function restCatalogAccessStatements(user: CatalogUser, catalog: RestCatalogParameters): PolicyStatement[] {
  if (catalog.awsService === "glue") {
    const account = catalog.warehouse ?? pseudo.account;
    return [
      // GET /v1/config: the endpoint authorises every client with glue:GetCatalog.
      { Sid: "RestCatalog", Effect: "Allow", Action: ["glue:GetCatalog"], Resource: glueArn("catalog", account) },
      ...glueTableStatements(user, catalog.namespace, account),
      ...(catalog.vendedCredentials ? [{ Sid: "VendedCredentials", Effect: "Allow" as const, Action: ["lakeformation:GetDataAccess"], Resource: "*" }] : []),
    ];
  }
  if (catalog.awsService === "s3tables" && catalog.warehouse !== undefined) return s3TablesStatements(user, catalog.warehouse);
  // Another catalog decides access by its own token; nothing to grant in AWS.
  return [];
}

/**
 * S3 Tables' Iceberg REST endpoint maps each call to s3tables actions (Amazon S3 guide,
 * "Accessing tables using the Amazon S3 Tables Iceberg REST endpoint"): config →
 * GetTableBucket, namespace → GetNamespace / CreateNamespace, create table → CreateTable
 * and PutTableData, load table → GetTableMetadataLocation and GetTableData, commit →
 * UpdateTableMetadataLocation, GetTableData and PutTableData. The table files are read and
 * written through the table's storage with GetTableData and PutTableData. The service
 * deletes unreferenced files itself, so no delete is granted.
 */
function s3TablesStatements(user: CatalogUser, tableBucketArn: string): PolicyStatement[] {
  const bucketActions = user === "commit" ? ["s3tables:GetTableBucket", "s3tables:GetNamespace", "s3tables:CreateNamespace", "s3tables:CreateTable"] : ["s3tables:GetTableBucket", "s3tables:GetNamespace"];
  const tableActions = ["s3tables:GetTable", "s3tables:GetTableMetadataLocation", "s3tables:GetTableData", "s3tables:PutTableData", ...(user === "ingest" ? [] : ["s3tables:UpdateTableMetadataLocation"])];
  return [
    { Sid: "TableBucket", Effect: "Allow", Action: bucketActions, Resource: tableBucketArn },
    { Sid: "BucketTables", Effect: "Allow", Action: tableActions, Resource: `${tableBucketArn}/table/*` },
  ];
}

function restCatalogSecretStatements(catalog: RestCatalogParameters, parameters: StackParameters): PolicyStatement[] {
  if (catalog.secretArn === undefined) return [];
  return [{ Sid: "RestCatalogSecret", Effect: "Allow", Action: ["secretsmanager:GetSecretValue"], Resource: catalog.secretArn }, ...kmsStatements(parameters)];
}
