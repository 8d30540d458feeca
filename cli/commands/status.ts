// `status`: per exported topic, its state, offsets, staged backlog and last snapshot.
import type { CommandSpec } from "../command.js";
import { stringValue } from "../command.js";
import { openControlRuntime } from "../control-runtime.js";
import { formatTopicStatus, topicStatusJson } from "../format/topic-status.js";
import { exportOptions, kafkaOptions, verboseOption } from "../options.js";

export const statusCommand: CommandSpec = {
  name: "status",
  summary: "Show every exported topic (or one): enabled or not, per partition the start, staged and committed offsets, the staged backlog and the table's last snapshot.",
  usage: "status [--topic TOPIC] [--json] [options]",
  details: ["With --brokers, each partition's log-end offset and the records not yet committed (lag) are shown too."],
  options: [
    { name: "topic", type: "string", valueName: "TOPIC", description: "Only this topic" },
    { name: "json", type: "boolean", description: "Print JSON instead of text" },
    ...exportOptions,
    ...kafkaOptions,
    verboseOption,
  ],
  async run(command, io) {
    const runtime = openControlRuntime(command, io, { kafka: "optional" });
    try {
      const statuses = await runtime.topicStatuses(stringValue(command, "topic"));
      if (command.values["json"] === true) {
        io.out(JSON.stringify(statuses.map(topicStatusJson), null, 2));
        return 0;
      }
      if (statuses.length === 0) io.out(stringValue(command, "topic") === undefined ? "no topic has been enabled for export" : `${stringValue(command, "topic") ?? ""} has never been enabled for export`);
      for (const status of statuses) for (const line of formatTopicStatus(status)) io.out(line);
      return 0;
    } finally {
      await runtime.close();
    }
  },
};
