// `dead-letters`: what a topic's dead-letter table holds (SPEC.md §9).
import type { CommandSpec } from "../command.js";
import { integerValue, requiredString } from "../command.js";
import { openControlRuntime } from "../control-runtime.js";
import { deadLetterReportJson, formatDeadLetterReport } from "../format/dead-letters.js";
import { exportOptions, verboseOption } from "../options.js";

export const deadLettersCommand: CommandSpec = {
  name: "dead-letters",
  summary: "Show the records of a topic that could not be exported: counts by reason, and the latest few.",
  usage: "dead-letters --topic TOPIC [--latest N] [--show-bytes] [--json] [options]",
  details: [
    "Reads the topic's dead-letter table <table>__dead_letters (kept with enable --dead-letters). Reasons: wire-format (not a Confluent frame), payload (no valid message of the table's type), timestamp (past what the table holds), malformed-event (the event source delivered it malformed; its value holds the event record's JSON). Replayed: appended to the table since by `replay`.",
    "The keys, values and headers are shown (base64) only with --show-bytes: they are whatever the producer wrote.",
  ],
  options: [
    { name: "topic", type: "string", valueName: "TOPIC", description: "The exported topic" },
    { name: "latest", type: "string", valueName: "N", description: "How many of the latest to list", defaultText: "10" },
    { name: "show-bytes", type: "boolean", description: "Also print the latest ones' key, value and headers, base64" },
    { name: "json", type: "boolean", description: "Print JSON instead of text" },
    ...exportOptions,
    verboseOption,
  ],
  async run(command, io) {
    const topic = requiredString(command, "topic", "dead-letters");
    const latest = integerValue(command, "latest", "dead-letters", 10, { min: 0, max: 10_000 });
    const showBytes = command.values["show-bytes"] === true;
    const runtime = openControlRuntime(command, io, { kafka: "none" });
    try {
      const report = await runtime.deadLetters(topic, latest);
      if (command.values["json"] === true) io.out(JSON.stringify(deadLetterReportJson(report, { showBytes }), null, 2));
      else for (const line of formatDeadLetterReport(topic, report, { showBytes })) io.out(line);
      return 0;
    } finally {
      await runtime.close();
    }
  },
};
