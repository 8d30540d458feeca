// `invoke ingest --event FILE` and `invoke commit`: run a Lambda handler in this process, as
// `serverless invoke local` does. The flags become the function's environment, so the
// handler reads its configuration exactly as in Lambda.
import { readFileSync } from "node:fs";
import type { Context } from "aws-lambda";
import type { CommandSpec } from "../command.js";
import { integerValue, requiredString, UsageError } from "../command.js";
import { commitOptions, exportOptions, withEmbeddedDefaults } from "../options.js";

export const invokeCommand: CommandSpec = {
  name: "invoke",
  summary: "Run a Lambda handler locally: `invoke ingest --event FILE` with a Kafka event (MSK or self-managed shape), or `invoke commit` for one scheduled invocation.",
  usage: "invoke ingest --event FILE [options] | invoke commit [--timeout-ms MS] [options]",
  details: ["The handler logs JSON lines (Powertools) and its metrics in the CloudWatch embedded metric format to stdout, as in Lambda. A failed invocation exits with 1."],
  allowPositionals: true,
  options: [
    { name: "event", type: "string", valueName: "FILE", description: "The event JSON (ingest)" },
    { name: "timeout-ms", type: "string", valueName: "MS", description: "The invocation's time limit: commit runs rounds until it", defaultText: "60000" },
    ...exportOptions,
    ...commitOptions,
  ],
  async run(command, io) {
    const [functionName, ...rest] = command.positionals;
    if (rest.length > 0) throw new UsageError(`unexpected argument '${rest.join(" ")}'`, "invoke");
    if (functionName !== "ingest" && functionName !== "commit") throw new UsageError(`name the function to invoke: ingest or commit${functionName === undefined ? "" : `, not '${functionName}'`}`, "invoke");
    const { settings } = withEmbeddedDefaults(command);
    for (const [name, value] of Object.entries(settings)) if (value !== undefined) process.env[name] = value;

    if (functionName === "ingest") {
      const event = readEvent(requiredString(command, "event", "invoke"));
      const { handler } = await import("../../functions/ingest.js");
      await handler(event);
    } else {
      const timeoutMs = integerValue(command, "timeout-ms", "invoke", 60_000, { min: 1_000, max: 900_000 });
      const deadline = Date.now() + timeoutMs;
      const { handler } = await import("../../functions/commit.js");
      await handler({ source: "kafka-iceberg-export.invoke" }, lambdaContext("commit", () => deadline - Date.now()));
    }
    io.err(`invoke ${functionName}: succeeded`);
    return 0;
  },
};

function readEvent(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new UsageError(`--event ${file} cannot be read: ${error instanceof Error ? error.message : String(error)}`, "invoke");
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new UsageError(`--event ${file} is not JSON: ${error instanceof Error ? error.message : String(error)}`, "invoke");
  }
}

function lambdaContext(functionName: string, remainingMs: () => number): Context {
  // The callback-style members are deprecated in the type, and no handler of ours calls them.
  const unused = (): void => undefined;
  const context: Omit<Context, "done" | "fail" | "succeed"> = {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: "$LATEST",
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:${functionName}`,
    memoryLimitInMB: "1024",
    awsRequestId: crypto.randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: "local",
    getRemainingTimeInMillis: remainingMs,
  };
  return Object.assign(context, { done: unused, fail: unused, succeed: unused });
}
