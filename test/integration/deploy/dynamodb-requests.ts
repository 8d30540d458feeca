// The DynamoDB requests a client sends, recorded, and each item request in them as IAM sees
// it: the action that authorises it (a transaction's items one by one, as the PutItem,
// UpdateItem or DeleteItem they are) and the values of the condition keys the policies use.
// The keys' values follow the DynamoDB guide ("Using IAM policy conditions for fine-grained
// access control"): LeadingKeys the partition key; Attributes the attribute names the request
// writes or tests, key attributes included; ReturnValues what it asks back (NONE by default).
import type { AttributeValue, DynamoDBClient } from "@aws-sdk/client-dynamodb";

export interface RecordedRequest {
  command: string;
  input: Record<string, unknown>;
}

export interface ItemRequest {
  action: string;
  /** Absent for a request that names none (a Scan). */
  partitionKey?: string;
  sortKey?: string;
  attributes: string[];
  returnValues?: string;
  enclosingOperation?: string;
}

type Item = Record<string, AttributeValue>;
interface Expressions {
  ExpressionAttributeNames?: Record<string, string>;
  ReturnValues?: string;
  ReturnValuesOnConditionCheckFailure?: string;
}

export function recordRequests(client: DynamoDBClient, into: RecordedRequest[]): void {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      into.push({ command: String(context.commandName), input: structuredClone(args.input as Record<string, unknown>) });
      return next(args);
    },
    { step: "initialize", name: "recordRequests" },
  );
}

export function itemRequests(recorded: RecordedRequest): ItemRequest[] {
  const { command, input } = recorded;
  switch (command) {
    case "GetItemCommand":
      return [keyed("dynamodb:GetItem", input["Key"] as Item, names(input), undefined)];
    case "PutItemCommand":
      return [keyed("dynamodb:PutItem", input["Item"] as Item, [...Object.keys(input["Item"] as Item), ...names(input)], returnValues(input))];
    case "UpdateItemCommand":
      return [keyed("dynamodb:UpdateItem", input["Key"] as Item, ["pk", "sk", ...names(input)], returnValues(input))];
    case "DeleteItemCommand":
      return [keyed("dynamodb:DeleteItem", input["Key"] as Item, names(input), returnValues(input))];
    case "QueryCommand":
      return [queried(input)];
    case "TransactWriteItemsCommand":
      return (input["TransactItems"] as Record<string, Record<string, unknown>>[]).map((item) => ({ ...transactItem(item), enclosingOperation: "TransactWriteItems" }));
    default:
      throw new Error(`no IAM mapping for ${command}: add one here and a grant in deploy/iam-policies.ts`);
  }
}

/** "UpdateItem topic# partition# [committedOffset]": action, key prefixes, non-key attributes. */
export function requestKind(request: ItemRequest): string {
  const prefix = (key: string | undefined): string => (key === undefined ? "-" : /^[^#]*#?/.exec(key)?.[0] ?? key);
  const attributes = [...new Set(request.attributes)].filter((name) => name !== "pk" && name !== "sk").sort();
  const shown = request.action === "dynamodb:PutItem" && !request.partitionKey?.startsWith("lease#") ? [] : attributes;
  return [
    request.action.replace("dynamodb:", ""),
    prefix(request.partitionKey),
    prefix(request.sortKey),
    ...(shown.length === 0 ? [] : [`[${shown.join(",")}]`]),
    ...(request.enclosingOperation === undefined ? [] : [`(${request.enclosingOperation})`]),
  ].join(" ");
}

function transactItem(item: Record<string, Record<string, unknown>>): ItemRequest {
  const [[kind, input] = ["?", {}]] = Object.entries(item);
  switch (kind) {
    case "Put":
      return keyed("dynamodb:PutItem", input["Item"] as Item, [...Object.keys(input["Item"] as Item), ...names(input)], returnValues(input));
    case "Update":
      return keyed("dynamodb:UpdateItem", input["Key"] as Item, ["pk", "sk", ...names(input)], returnValues(input));
    case "Delete":
      return keyed("dynamodb:DeleteItem", input["Key"] as Item, names(input), returnValues(input));
    case "ConditionCheck":
      return keyed("dynamodb:ConditionCheckItem", input["Key"] as Item, ["pk", "sk", ...names(input)], returnValues(input));
    default:
      throw new Error(`no IAM mapping for a transaction item ${kind}`);
  }
}

function keyed(action: string, key: Item, attributes: string[], returns: string | undefined): ItemRequest {
  return {
    action,
    ...optional("partitionKey", key["pk"]?.S),
    ...optional("sortKey", key["sk"]?.S),
    attributes: [...new Set(attributes)],
    ...optional("returnValues", returns),
  };
}

/** A Query's partition key: the value its key condition compares the `pk` attribute with. */
function queried(input: Record<string, unknown>): ItemRequest {
  const attributeNames = (input["ExpressionAttributeNames"] ?? {}) as Record<string, string>;
  const values = (input["ExpressionAttributeValues"] ?? {}) as Record<string, AttributeValue>;
  const placeholder = Object.entries(attributeNames).find(([, name]) => name === "pk")?.[0] ?? "pk";
  const match = new RegExp(`${placeholder}\\s*=\\s*(:\\w+)`).exec(String(input["KeyConditionExpression"]));
  const prefix = /begins_with\(\s*[#\w]+\s*,\s*(:\w+)\s*\)/.exec(String(input["KeyConditionExpression"]));
  return {
    action: "dynamodb:Query",
    ...optional("partitionKey", match?.[1] === undefined ? undefined : values[match[1]]?.S),
    ...optional("sortKey", prefix?.[1] === undefined ? undefined : values[prefix[1]]?.S),
    attributes: names(input).filter((name) => name !== "pk" && name !== "sk"),
  };
}

function names(input: Expressions | Record<string, unknown>): string[] {
  return Object.values(((input as Expressions).ExpressionAttributeNames ?? {}));
}

function returnValues(input: Expressions | Record<string, unknown>): string {
  const expressions = input as Expressions;
  return expressions.ReturnValues ?? expressions.ReturnValuesOnConditionCheckFailure ?? "NONE";
}

function optional<K extends string>(name: K, value: string | undefined): { [P in K]?: string } {
  return value === undefined ? {} : ({ [name]: value } as { [P in K]?: string });
}
