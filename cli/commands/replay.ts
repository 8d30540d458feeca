// `replay`: dead letters decoded again and appended to the topic's table, once (SPEC.md §9).
import type { CommandSpec, ParsedCommand } from "../command.js";
import { requiredString, stringValue, UsageError } from "../command.js";
import { openControlRuntime } from "../control-runtime.js";
import { formatReplayOutcome, replayOutcomeJson } from "../format/dead-letters.js";
import { exportOptions, verboseOption } from "../options.js";
import { deadLetterReasons, type DeadLetterReason } from "../../lib/dead-letters/dead-letter.js";
import type { ReplayRequest } from "../../lib/dead-letters/replay-dead-letters.js";

export const replayCommand: CommandSpec = {
  name: "replay",
  summary: "Decode a topic's dead letters again with the schema the registry has now, and append those that decode to the table, each offset once.",
  usage: "replay --topic TOPIC [--from-offset N --to-offset N | --reason REASON] [--partition P] [--json] [options]",
  details: [
    "After a schema fix (a new schema version registered for the value subject, or WIRE_FORMAT changed), the chosen dead letters are decoded with the table's schema evolved to the latest version, and those that decode are appended in one snapshot. The table records which offsets were replayed (property kafka-iceberg-export.replayed-offsets), and so does the dead-letter table: a second run, a run after a crash, or two runs at once never append an offset twice. Those that still fail stay in the dead-letter table, with the reason they fail now in the output and in its kafka-iceberg-export.last-replay property.",
    "Without --from-offset, --to-offset or --reason every dead letter is chosen. malformed-event and timestamp dead letters are never replayed: no schema changes them.",
  ],
  options: [
    { name: "topic", type: "string", valueName: "TOPIC", description: "The exported topic" },
    { name: "from-offset", type: "string", valueName: "N", description: "The lowest offset to replay" },
    { name: "to-offset", type: "string", valueName: "N", description: "The highest offset to replay" },
    { name: "reason", type: "string", valueName: deadLetterReasons.join("|"), description: "Only dead letters of this reason" },
    { name: "partition", type: "string", valueName: "P", description: "Only this Kafka partition" },
    { name: "json", type: "boolean", description: "Print JSON instead of text" },
    ...exportOptions,
    verboseOption,
  ],
  async run(command, io) {
    const topic = requiredString(command, "topic", "replay");
    const request = replayRequest(command);
    const runtime = openControlRuntime(command, io, { kafka: "none" });
    try {
      const outcome = await runtime.replay(topic, request);
      if (command.values["json"] === true) io.out(JSON.stringify(replayOutcomeJson(outcome), null, 2));
      else for (const line of formatReplayOutcome(topic, outcome)) io.out(line);
      return 0;
    } finally {
      await runtime.close();
    }
  },
};

function replayRequest(command: ParsedCommand): ReplayRequest {
  const fromOffset = offsetValue(command, "from-offset");
  const toOffset = offsetValue(command, "to-offset");
  if (fromOffset !== undefined && toOffset !== undefined && fromOffset > toOffset) throw new UsageError(`--from-offset ${fromOffset} is above --to-offset ${toOffset}`, "replay");
  const reason = stringValue(command, "reason");
  if (reason !== undefined && !(deadLetterReasons as readonly string[]).includes(reason)) throw new UsageError(`--reason must be one of ${deadLetterReasons.join(", ")}, got '${reason}'`, "replay");
  const partition = offsetValue(command, "partition");
  if (partition !== undefined && partition > 2_147_483_647n) throw new UsageError(`--partition ${partition} is not a Kafka partition`, "replay");
  return {
    ...(fromOffset === undefined ? {} : { fromOffset }),
    ...(toOffset === undefined ? {} : { toOffset }),
    ...(reason === undefined ? {} : { reason: reason as DeadLetterReason }),
    ...(partition === undefined ? {} : { partition: Number(partition) }),
  };
}

function offsetValue(command: ParsedCommand, name: string): bigint | undefined {
  const text = stringValue(command, name);
  if (text === undefined) return undefined;
  if (!/^\d{1,19}$/.test(text)) throw new UsageError(`--${name} must be a non-negative integer, got '${text}'`, "replay");
  return BigInt(text);
}
