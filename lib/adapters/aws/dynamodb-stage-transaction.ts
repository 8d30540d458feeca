// stageFiles as one DynamoDB transaction: the watermark moves from the expected value to
// the new one, and the batch item that lists the files is created, or nothing happens at
// all (the parts a big list needs are written before it: dynamodb-staged-batch-item.ts).
import type { TransactWriteItem } from "@aws-sdk/client-dynamodb";
import { ExportError, UnavailableError } from "../../core/errors.js";
import { checkStageRequest, describeStageRequest } from "../../state/stage-request.js";
import type { StageRequest } from "../../state/state-store.js";
import { awsErrorName, describeAwsError } from "./aws-errors.js";
import { bigintValue, integerValue } from "./dynamodb-attributes.js";
import { partitionProgressKey } from "./dynamodb-state-keys.js";
import { stagedBatchWrite, type StagedBatchWrite } from "./dynamodb-staged-batch-item.js";

/** DynamoDB's limit of items per transaction. */
export const maxTransactionItems = 100;

/** Cancellation reasons that mean "the same request may succeed later". */
const transientCancellationCodes: ReadonlySet<string> = new Set([
  "ProvisionedThroughputExceeded",
  "RequestLimitExceeded",
  "ThrottlingError",
  "TransactionConflict",
]);

/**
 * One batch item per table and first offset among the files: one, for a request of the
 * ingest path. `batchId` names this attempt's parts, apart from any other attempt's.
 */
export function stagedBatchWrites(request: StageRequest, batchId: string, maxFileListBytes?: number): StagedBatchWrite[] {
  checkStageRequest(request);
  const groups = new Map<string, StageRequest["files"]>();
  for (const file of request.files) {
    const id = `${file.table}\u0000${file.firstOffset}`;
    groups.set(id, [...(groups.get(id) ?? []), file]);
  }
  const writes = [...groups.values()].map((files) => stagedBatchWrite(files, batchId, maxFileListBytes));
  if (writes.length + 1 > maxTransactionItems) {
    throw new ExportError("INTERNAL", `cannot stage ${describeStageRequest(request)}: its files name ${writes.length} tables and first offsets, more than one transaction holds`);
  }
  return writes;
}

export function stageTransactionItems(tableName: string, request: StageRequest, batches: readonly StagedBatchWrite[]): TransactWriteItem[] {
  const { topic, partition, expectedWatermark, newWatermark } = request;
  const watermarkUpdate: TransactWriteItem = {
    Update: {
      TableName: tableName,
      Key: partitionProgressKey(topic, partition),
      UpdateExpression: "SET #watermark = :new, #topic = :topic, #partition = :partition",
      ConditionExpression: expectedWatermark === undefined ? "attribute_not_exists(#watermark)" : "#watermark = :expected",
      ExpressionAttributeNames: { "#watermark": "stagedWatermark", "#topic": "topic", "#partition": "partition" },
      ExpressionAttributeValues: {
        ":new": bigintValue(newWatermark),
        ":topic": { S: topic },
        ":partition": integerValue(partition),
        ...(expectedWatermark === undefined ? {} : { ":expected": bigintValue(expectedWatermark) }),
      },
    },
  };
  const batchPuts = batches.map(
    ({ batch }): TransactWriteItem => ({
      Put: { TableName: tableName, Item: batch, ConditionExpression: "attribute_not_exists(#pk)", ExpressionAttributeNames: { "#pk": "pk" } },
    }),
  );
  return [watermarkUpdate, ...batchPuts];
}

/**
 * What a failed stage transaction means: "condition-failed" when a condition did not hold
 * (another invocation staged first), an UnavailableError when DynamoDB asks to try again,
 * undefined when the error is not a cancelled transaction at all.
 */
export function cancelledStageOutcome(error: unknown, request: StageRequest): "condition-failed" | ExportError | undefined {
  if (awsErrorName(error) !== "TransactionCanceledException") return undefined;
  const codes = cancellationCodes(error);
  if (codes.includes("ConditionalCheckFailed")) return "condition-failed";
  const summary = `DynamoDB TransactWriteItems staging ${describeStageRequest(request)} was cancelled (${codes.join(", ")}; ${describeAwsError(error)})`;
  if (codes.some((code) => transientCancellationCodes.has(code))) return new UnavailableError("STORAGE_UNAVAILABLE", summary, error);
  return new ExportError("INTERNAL", summary, { cause: error });
}

/** The Code of each cancellation reason, in item order ("None" for an item that was fine). */
function cancellationCodes(error: unknown): string[] {
  const reasons = (error as { CancellationReasons?: unknown }).CancellationReasons;
  if (!Array.isArray(reasons)) return [];
  return reasons.map((reason: unknown) => {
    const code = typeof reason === "object" && reason !== null ? (reason as { Code?: unknown }).Code : undefined;
    return typeof code === "string" ? code : "None";
  });
}
