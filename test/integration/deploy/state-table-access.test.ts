// The state-table conditions of the functions' IAM policies (deploy/iam-policies.ts) against
// the DynamoDB requests the functions' code really sends. Ingest and commit run through
// lib/ (ingestKafkaBatch, commitAllTables: what functions/ingest.ts and functions/commit.ts
// call) on moto, each with a DynamoDB client that records every request; each recorded
// item request is then evaluated against both roles' policies by @cloud-copilot/iam-simulate,
// an independent implementation of IAM's policy evaluation. moto enforces no IAM, and this
// is no AWS evaluation either: the request context (which partition keys and attributes a
// request names) is derived from the requests by dynamodb-requests.ts, after the DynamoDB
// guide's description of the condition keys.
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { beforeAll, describe, expect, it } from "vitest";
import { commitPolicies, ingestPolicies } from "../../../deploy/iam-policies.js";
import { parseStackParameters } from "../../../deploy/stack-parameters.js";
import { createDynamoDbStateStore } from "../../../lib/adapters/aws/dynamodb-state-store.js";
import { commitLeaseKey, partitionProgressKey, topicExportKey } from "../../../lib/adapters/aws/dynamodb-state-keys.js";
import { topicExportItem } from "../../../lib/adapters/aws/dynamodb-topic-export-item.js";
import { commitAllTables } from "../../../lib/commit/commit-all.js";
import { silentLogger } from "../../../lib/core/logger.js";
import { ingestKafkaBatch } from "../../../lib/ingest/ingest-batch.js";
import { parseKafkaEvent } from "../../../lib/kafka/lambda-event.js";
import { ingestContextOver } from "../../../lib/runtime/ingest-runtime.js";
import { createCommitHarness, expectedOrderIds, orderIds, type CommitHarness } from "../commit/commit-harness.js";
import { order } from "../ingest/ingest-harness.js";
import { itemRequests, recordRequests, requestKind, type ItemRequest, type RecordedRequest } from "./dynamodb-requests.js";
import { evaluate } from "./iam-evaluation.js";

const parameters = parseStackParameters(
  { mskClusterArn: "arn:aws:kafka:us-east-1:123456789012:cluster/events/0b1c2d3e-aaaa-bbbb-cccc-0123456789ab-7", topics: "orders" },
  { consumerGroup: "export", glueDatabase: "kafka" },
);
const roles = { ingest: ingestPolicies(parameters), commit: commitPolicies(parameters) };

let harness: CommitHarness;
const recorded: Record<"ingest" | "commit", RecordedRequest[]> = { ingest: [], commit: [] };
const sent: Record<"ingest" | "commit", ItemRequest[]> = { ingest: [], commit: [] };

beforeAll(async () => {
  harness = await createCommitHarness();
  const { state } = harness.config;
  if (state.type !== "dynamodb") throw new Error("the commit harness keeps its state in DynamoDB");
  const storeRecording = (into: RecordedRequest[]) => {
    const client = new DynamoDBClient(harness.clientConfig);
    recordRequests(client, into);
    return createDynamoDbStateStore({ client, tableName: state.tableName });
  };
  const ingestContext = ingestContextOver({ objectStore: harness.context.objectStore, stateStore: storeRecording(recorded.ingest) }, harness.config, { logger: silentLogger });
  const ingest = (partition: number, from: number, to: number) =>
    ingestKafkaBatch(parseKafkaEvent(harness.event(partition, Array.from({ length: to - from + 1 }, (_, index) => ({ offset: from + index, value: order(from + index) })))), ingestContext);
  const commitContext = harness.commitContext({ stateStore: storeRecording(recorded.commit) });

  // First batch (schema state created), a redelivery (lost race), an overlap, a second partition; two commits.
  await ingest(0, 0, 9);
  await ingest(0, 0, 9);
  await ingest(0, 5, 14);
  await ingest(1, 0, 4);
  expect((await commitAllTables(commitContext)).failures).toEqual([]);
  await ingest(0, 15, 19);
  expect((await commitAllTables(commitContext)).failures).toEqual([]);
  expect((await commitAllTables(commitContext)).tables.map((table) => table.status)).toEqual(["nothing-staged"]);
  for (const role of ["ingest", "commit"] as const) sent[role] = recorded[role].flatMap(itemRequests);
}, 240_000);

describe("the state table requests of ingest and commit", () => {
  it("ran a real export: the table holds every record once", async () => {
    expect(orderIds(await harness.readTable())).toEqual([...expectedOrderIds([0, 19]), ...expectedOrderIds([0, 4])].sort());
  });

  // The actions and item kinds (partition key / sort key prefixes) each function uses:
  // what deploy/iam-policies.ts grants, and no more.
  it("are these kinds of item request, and only these", () => {
    expect([...new Set(sent.ingest.map(requestKind))].sort()).toEqual([
      "GetItem exports topic#",
      "GetItem table# schema",
      "GetItem topic# partition#",
      "PutItem table# schema",
      "PutItem table# staged# (TransactWriteItems)",
      "UpdateItem topic# partition# [partition,stagedWatermark,topic] (TransactWriteItems)",
    ]);
    expect([...new Set(sent.commit.map(requestKind))].sort()).toEqual([
      "DeleteItem lease# lease [owner]",
      "DeleteItem table# staged#",
      "GetItem table# schema",
      "PutItem lease# lease [expiresAt,owner]",
      "Query exports topic#",
      "Query table# staged# [status]",
      "UpdateItem topic# partition# [committedOffset]",
    ]);
  });

  it("are each allowed by the sending function's own policies", async () => {
    for (const role of ["ingest", "commit"] as const) {
      const denied = [];
      for (const request of sent[role]) if ((await evaluate(roles[role], request)) !== "Allowed") denied.push(requestKind(request));
      expect(denied, role).toEqual([]);
    }
  });

  it("are, when they write, each denied to the other function", async () => {
    for (const [writer, other] of [["ingest", "commit"], ["commit", "ingest"]] as const) {
      // Ingest deletes the parts of a staged batch that lost its race under `table#`, so the
      // partition-key conditions cannot keep it from commit's deletes there (a known limit, below).
      const sharedDelete = (request: ItemRequest): boolean => other === "ingest" && request.action === "dynamodb:DeleteItem" && request.partitionKey?.startsWith("table#") === true;
      const writes = sent[writer].filter((request) => request.action !== "dynamodb:GetItem" && request.action !== "dynamodb:Query" && !sharedDelete(request));
      expect(writes.length).toBeGreaterThan(2);
      const allowed = [];
      for (const request of writes) if ((await evaluate(roles[other], request)) === "Allowed") allowed.push(requestKind(request));
      expect(allowed, `${writer}'s writes allowed to ${other}`).toEqual([]);
    }
  });
});

describe("the functions' policies deny", () => {
  const topicExportPut: ItemRequest = { action: "dynamodb:PutItem", partitionKey: topicExportKey("orders").pk.S ?? "", sortKey: "topic#orders", attributes: Object.keys(topicExportItem({ topic: "orders", enabled: true, table: { namespace: "kafka", name: "orders" }, tableLocation: "s3://b/w/kafka/orders", startOffsets: {}, valueSubject: "orders-value", subjectIsExplicit: false, partitioning: "day", updatedAt: "2026-01-01T00:00:00.000Z" })), returnValues: "NONE" };
  const progress = partitionProgressKey("orders", 0);
  const lease = commitLeaseKey("kafka.orders");

  it.each<[string, "ingest" | "commit", ItemRequest]>([
    ["ingest writing a topic export", "ingest", topicExportPut],
    ["commit writing a topic export", "commit", topicExportPut],
    ["ingest writing the store's marker", "ingest", { ...topicExportPut, sortKey: "store", attributes: ["pk", "sk", "createdAt"] }],
    ["ingest updating a topic export", "ingest", { action: "dynamodb:UpdateItem", partitionKey: "exports", sortKey: "topic#orders", attributes: ["pk", "sk", "stagedWatermark"], returnValues: "NONE" }],
    ["ingest taking a lease", "ingest", { action: "dynamodb:PutItem", partitionKey: lease.pk.S ?? "", sortKey: "lease", attributes: ["pk", "sk", "owner", "expiresAt"], returnValues: "NONE" }],
    ["ingest reading a lease", "ingest", { action: "dynamodb:GetItem", partitionKey: lease.pk.S ?? "", sortKey: "lease", attributes: [] }],
    ["ingest setting the committed offset", "ingest", { action: "dynamodb:UpdateItem", partitionKey: progress.pk.S ?? "", sortKey: "partition#", attributes: ["pk", "sk", "committedOffset"], returnValues: "NONE" }],
    ["ingest moving the watermark and reading back the whole item", "ingest", { action: "dynamodb:UpdateItem", partitionKey: progress.pk.S ?? "", sortKey: "partition#", attributes: ["pk", "sk", "stagedWatermark"], returnValues: "ALL_OLD" }],
    ["ingest replacing a topic-partition item whole", "ingest", { action: "dynamodb:PutItem", partitionKey: progress.pk.S ?? "", sortKey: "partition#", attributes: ["pk", "sk", "stagedWatermark"], returnValues: "NONE" }],
    ["commit moving the staged watermark", "commit", { action: "dynamodb:UpdateItem", partitionKey: progress.pk.S ?? "", sortKey: "partition#", attributes: ["pk", "sk", "stagedWatermark"], returnValues: "NONE" }],
    ["commit staging a file or saving schema state", "commit", { action: "dynamodb:PutItem", partitionKey: "table#kafka.orders", sortKey: "schema", attributes: ["pk", "sk", "state", "version"], returnValues: "NONE" }],
    ["commit deleting a topic-partition's progress", "commit", { action: "dynamodb:DeleteItem", partitionKey: progress.pk.S ?? "", sortKey: "partition#", attributes: [], returnValues: "NONE" }],
    ["commit deleting a topic export", "commit", { action: "dynamodb:DeleteItem", partitionKey: "exports", sortKey: "topic#orders", attributes: [], returnValues: "NONE" }],
    ["a Scan", "commit", { action: "dynamodb:Scan", attributes: [] }],
    // ForAllValues holds over an empty set: the Null condition is what refuses this one.
    ["a read naming no partition key", "ingest", { action: "dynamodb:GetItem", attributes: [] }],
  ])("%s (%s)", async (_case, role, request) => {
    expect(await evaluate(roles[role], request)).not.toBe("Allowed");
  });

  // The limit of partition-key conditions, written down: the schema state shares `table#`
  // with the staged files commit deletes, and no condition key tells sort keys apart.
  it("not ingest deleting a staged batch (a known limit: it deletes the parts of a batch that lost its race)", async () => {
    const request: ItemRequest = { action: "dynamodb:DeleteItem", partitionKey: "table#kafka.orders", sortKey: "staged#", attributes: [], returnValues: "NONE" };
    expect(await evaluate(roles.ingest, request)).toBe("Allowed");
  });

  it("not commit deleting the schema state (a known limit)", async () => {
    const request: ItemRequest = { action: "dynamodb:DeleteItem", partitionKey: "table#kafka.orders", sortKey: "schema", attributes: [], returnValues: "NONE" };
    expect(await evaluate(roles.commit, request)).toBe("Allowed");
  });
});
