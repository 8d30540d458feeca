// `kafka-iceberg-export`: export control, the local runner, the demo and local invocation of
// the Lambda handlers (SPEC.md §6). Exit codes: 0 done, 1 failed, 2 bad command line or
// configuration.
import { ConfigurationError, ExportError } from "../lib/core/errors.js";
import { commandHelp, parseCommand, UsageError, type CliIo, type CommandSpec, type ParsedCommand } from "./command.js";
import { deadLettersCommand } from "./commands/dead-letters.js";
import { demoCommand } from "./commands/demo.js";
import { disableCommand } from "./commands/disable.js";
import { dropMissingStagedCommand } from "./commands/drop-missing-staged.js";
import { enableCommand } from "./commands/enable.js";
import { invokeCommand } from "./commands/invoke.js";
import { maintainCommand } from "./commands/maintain.js";
import { replayCommand } from "./commands/replay.js";
import { runCommand } from "./commands/run.js";
import { statusCommand } from "./commands/status.js";

export const program = "kafka-iceberg-export";

export const commands: CommandSpec[] = [demoCommand, enableCommand, disableCommand, statusCommand, runCommand, invokeCommand, maintainCommand, dropMissingStagedCommand, deadLettersCommand, replayCommand];

export async function main(args: readonly string[], io: CliIo): Promise<number> {
  const [name, ...rest] = args;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    io.out(programHelp());
    return name === undefined ? 2 : 0;
  }
  const spec = commands.find((command) => command.name === name);
  if (spec === undefined) {
    io.err(`error: unknown command '${name}'; commands: ${commands.map((command) => command.name).join(", ")} (see ${program} --help)`);
    return 2;
  }
  if (rest.includes("--help") || rest.includes("-h")) {
    io.out(commandHelp(spec, program));
    return 0;
  }
  let parsed: ParsedCommand | undefined;
  try {
    parsed = parseCommand(spec, rest, io.env);
    return await spec.run(parsed, io);
  } catch (error) {
    return reportFailure(error, spec, parsed, io);
  }
}

function reportFailure(error: unknown, spec: CommandSpec, parsed: ParsedCommand | undefined, io: CliIo): number {
  if (error instanceof UsageError) {
    io.err(`error: ${error.message} (see ${program} ${spec.name} --help)`);
    return 2;
  }
  if (error instanceof ConfigurationError) {
    const flag = parsed?.flagOfSetting.get(error.setting);
    io.err(`error: ${flag === undefined ? "" : `${flag}: `}${error.message}`);
    return 2;
  }
  if (error instanceof ExportError) {
    io.err(`error: ${error.message} [${error.code}${error.retryable ? ", retryable" : ""}]`);
    return 1;
  }
  io.err(`error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  return 1;
}

function programHelp(): string {
  const width = Math.max(...commands.map((command) => command.name.length)) + 2;
  return [
    `Usage: ${program} <command> [options]`,
    "",
    "Export Kafka topics into Apache Iceberg tables, exactly once.",
    "",
    "Commands:",
    ...commands.map((command) => `  ${command.name.padEnd(width)}${command.summary.split(": ")[0]?.split(". ")[0] ?? ""}`),
    "",
    `Run '${program} <command> --help' for a command's options. A flag that sets a configuration setting can also be given as the environment variable named in the help.`,
  ].join("\n");
}
