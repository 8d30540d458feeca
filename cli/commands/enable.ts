// `enable`: start exporting a topic (SPEC.md §2, §6).
import type { CommandSpec } from "../command.js";
import { requiredString, stringValue, UsageError } from "../command.js";
import { exportOptions, kafkaOptions, verboseOption } from "../options.js";
import { readingHint } from "../format/reading-hint.js";
import { formatTopicExport } from "../format/topic-export.js";
import { openControlRuntime } from "../control-runtime.js";
import type { EnableTopicOutcome } from "../../lib/control/enable-topic.js";
import type { Partitioning } from "../../lib/iceberg/partitioning.js";
import { boolean, optional } from "../../lib/config/settings.js";
import { settingNames } from "../../lib/config/export-config.js";

/** What a resume after a lost state store did, for the operator (docs/deploy.md). */
function formatResumed(topic: string, resumed: NonNullable<EnableTopicOutcome["resumed"]>): string[] {
  const from = Object.entries(resumed.fromCommitted).map(([partition, offset]) => `${partition}@${offset}`);
  const lines = [
    `${topic} had no export record, but its table holds committed offsets for it: the state store was lost. Export resumes right after them (partition@offset: ${from.join(", ")}), so records staged but never committed are read again, none twice.`,
  ];
  if (resumed.atLogEnd.length > 0) lines.push(`partitions ${resumed.atLogEnd.join(", ")} of ${topic} had nothing committed and start at the log end; records staged there before the loss are not exported.`);
  lines.push("the local runner reads from these offsets on its next start; a Lambda event source mapping must be set back to them (docs/deploy.md).");
  return lines;
}

const partitionings: readonly Partitioning[] = ["hour", "day", "month", "year", "none"];

/** true, false, or undefined when neither flag (nor DEAD_LETTERS in the environment) chooses. */
function deadLettersChoice(command: Parameters<CommandSpec["run"]>[0]): boolean | undefined {
  const off = command.values["no-dead-letters"] === true;
  if (off && command.values["dead-letters"] === true) throw new UsageError("--dead-letters and --no-dead-letters contradict each other", "enable");
  if (off) return false;
  return optional(command.settings, settingNames.deadLetters) === undefined ? undefined : boolean(command.settings, settingNames.deadLetters, false);
}

export const enableCommand: CommandSpec = {
  name: "enable",
  summary: "Export a topic from now on: records produced before this command (and during any earlier disable) are never exported.",
  usage: "enable --topic TOPIC [options]",
  details: [
    "Checks that the topic exists and is not compacted, creates the Iceberg table from the latest schema registered for the value subject, and records each partition's log-end offset as its start offset. Enabling a topic that is already enabled changes nothing.",
    "With --dead-letters, records that cannot be exported (not in the wire format, a payload the schema cannot decode, a malformed event record) are kept, with their bytes and the reason, in the table <table>__dead_letters beside the topic's table, where `dead-letters` shows them and `replay` brings them back once a schema fix decodes them; without it they are skipped and counted. Given for a topic already enabled, --dead-letters or --no-dead-letters changes only that.",
    "A topic with no export record whose table holds committed offsets for it (the state store was lost) resumes right after them instead of at the log end, with a warning listing them (docs/deploy.md).",
  ],
  options: [
    { name: "topic", type: "string", valueName: "TOPIC", description: "The Kafka topic" },
    { name: "table", type: "string", valueName: "NAME", description: "Table name in the namespace", defaultText: "the topic name, lower case, with _ for other characters" },
    { name: "value-subject", type: "string", valueName: "SUBJECT", description: "Registry subject of the values", defaultText: "<topic>-value" },
    { name: "message", type: "string", valueName: "NAME", description: "Fully qualified Protobuf message of the values", defaultText: "the first message of the schema" },
    { name: "partitioning", type: "string", valueName: partitionings.join("|"), description: "Table partitioning by the timestamp column", defaultText: "day" },
    { name: "dead-letters", type: "boolean", setting: settingNames.deadLetters, description: "Keep invalid records in the dead-letter table <table>__dead_letters", defaultText: "off, or as the deployment's DEAD_LETTERS says" },
    { name: "no-dead-letters", type: "boolean", description: "Keep them no more (those kept stay in the dead-letter table)" },
    ...exportOptions,
    ...kafkaOptions,
    verboseOption,
  ],
  async run(command, io) {
    const topic = requiredString(command, "topic", "enable");
    const partitioning = stringValue(command, "partitioning");
    if (partitioning !== undefined && !partitionings.includes(partitioning as Partitioning)) {
      throw new UsageError(`--partitioning must be one of ${partitionings.join(", ")}, got '${partitioning}'`, "enable");
    }
    const table = stringValue(command, "table");
    const valueSubject = stringValue(command, "value-subject");
    const messageName = stringValue(command, "message");
    const deadLetters = deadLettersChoice(command);
    const runtime = openControlRuntime(command, io, { kafka: "required" });
    try {
      const outcome = await runtime.enableTopic({
        topic,
        ...(table === undefined ? {} : { table }),
        ...(valueSubject === undefined ? {} : { valueSubject }),
        ...(messageName === undefined ? {} : { messageName }),
        ...(partitioning === undefined ? {} : { partitioning: partitioning as Partitioning }),
        ...(deadLetters === undefined ? {} : { deadLetters }),
      });
      const verb = {
        enabled: "enabled",
        "re-enabled": "enabled again",
        resumed: "enabled, resuming from the offsets its table has committed",
        "already-enabled": "was already enabled; nothing changed",
        "dead-letters-changed": `was already enabled; dead letters are ${outcome.topicExport.deadLetters === true ? "kept" : "no longer kept"} from now on`,
      }[outcome.status];
      io.out(`${topic}: ${verb}`);
      if (outcome.resumed !== undefined) for (const line of formatResumed(topic, outcome.resumed)) io.err(`warning: ${line}`);
      for (const line of formatTopicExport(outcome.topicExport, outcome.table.metadataLocation)) io.out(`  ${line}`);
      for (const line of readingHint(runtime.catalog, outcome.topicExport.table)) io.out(`  ${line}`);
      if (outcome.valueSchema.kind === "raw") io.out(`  values are exported as raw bytes (val.__raw__): ${outcome.valueSchema.reason}`);
      else io.out(`  values: ${outcome.valueSchema.messageName} from subject ${outcome.valueSchema.subject} (schema id ${outcome.valueSchema.schemaId})`);
      return 0;
    } finally {
      await runtime.close();
    }
  },
};
