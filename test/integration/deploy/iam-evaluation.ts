// Evaluates a role's inline policies (deploy/iam-policies.ts) for one request with
// @cloud-copilot/iam-simulate, an independent implementation of IAM's evaluation logic
// (condition operators, ForAllValues/IfExists, Null, resource ARN matching): the policies'
// CloudFormation values resolved for one account, region and stack; a DynamoDB item request
// on the state table, or any action on a resource.
import { runSimulation, type Simulation } from "@cloud-copilot/iam-simulate";
import type { CfnValue, InlinePolicy } from "../../../deploy/iam-policies.js";
import type { ItemRequest } from "./dynamodb-requests.js";

const account = "123456789012";
const region = "us-east-1";
export const stateTableArn = `arn:aws:dynamodb:${region}:${account}:table/export-state`;

const attributeArns: Record<string, string> = {
  StateTable: stateTableArn,
  WarehouseBucket: "arn:aws:s3:::export-warehouse",
  IngestLogGroup: `arn:aws:logs:${region}:${account}:log-group:/aws/lambda/export-ingest`,
  CommitLogGroup: `arn:aws:logs:${region}:${account}:log-group:/aws/lambda/export-commit`,
  MaintainLogGroup: `arn:aws:logs:${region}:${account}:log-group:/aws/lambda/export-maintain`,
};
const references: Record<string, string> = { "AWS::Partition": "aws", "AWS::Region": region, "AWS::AccountId": account };

export async function evaluate(policies: InlinePolicy[], request: ItemRequest): Promise<string> {
  const contextVariables: Record<string, string | string[]> = {};
  if (request.partitionKey !== undefined) contextVariables["dynamodb:LeadingKeys"] = [request.partitionKey];
  if (request.attributes.length > 0) contextVariables["dynamodb:Attributes"] = request.attributes;
  if (request.returnValues !== undefined) contextVariables["dynamodb:ReturnValues"] = request.returnValues;
  if (request.enclosingOperation !== undefined) contextVariables["dynamodb:EnclosingOperation"] = request.enclosingOperation;
  return evaluateAction(policies, { action: request.action, resource: stateTableArn, contextVariables });
}

/** "Allowed", "ImplicitlyDenied" or "ExplicitlyDenied" for one action on one resource ARN. */
export async function evaluateAction(policies: InlinePolicy[], request: { action: string; resource: string; contextVariables?: Record<string, string | string[]> }): Promise<string> {
  const simulation: Simulation = {
    identityPolicies: policies.map((policy) => ({ name: policy.PolicyName, policy: resolved(policy.PolicyDocument) })),
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    request: { principal: `arn:aws:iam::${account}:role/export-function`, action: request.action, resource: { resource: request.resource, accountId: account }, contextVariables: request.contextVariables ?? {} },
  };
  const result = await runSimulation(simulation, {});
  if (result.resultType === "error") throw new Error(`iam-simulate refused the simulation: ${JSON.stringify(result.errors)}`);
  return result.overallResult;
}

/** The document with every intrinsic function replaced by its value. */
function resolved(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(resolved);
  if (typeof value !== "object" || value === null) return value;
  const intrinsic = value as Exclude<CfnValue, string>;
  if ("Ref" in intrinsic) return known(references, intrinsic.Ref);
  if ("Fn::GetAtt" in intrinsic) return known(attributeArns, intrinsic["Fn::GetAtt"][0]);
  if ("Fn::Join" in intrinsic) return intrinsic["Fn::Join"][1].map((part) => String(resolved(part))).join(intrinsic["Fn::Join"][0]);
  return Object.fromEntries(Object.entries(value).map(([name, entry]) => [name, resolved(entry)]));
}

function known(values: Record<string, string>, name: string): string {
  const value = values[name];
  if (value === undefined) throw new Error(`no test value for ${name}`);
  return value;
}
