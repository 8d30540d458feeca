// `disable`: stop exporting a topic; what it already staged is still committed.
import type { CommandSpec } from "../command.js";
import { requiredString } from "../command.js";
import { openControlRuntime } from "../control-runtime.js";
import { exportOptions } from "../options.js";

export const disableCommand: CommandSpec = {
  name: "disable",
  summary: "Stop exporting a topic. Records produced until a later enable are never exported; files already staged are still committed.",
  usage: "disable --topic TOPIC [options]",
  options: [{ name: "topic", type: "string", valueName: "TOPIC", description: "The Kafka topic" }, ...exportOptions],
  async run(command, io) {
    const topic = requiredString(command, "topic", "disable");
    const runtime = openControlRuntime(command, io, { kafka: "none" });
    try {
      const outcome = await runtime.disableTopic(topic);
      io.out(outcome.status === "disabled" ? `${topic}: disabled` : `${topic}: was already disabled; nothing changed`);
      return 0;
    } finally {
      await runtime.close();
    }
  },
};
