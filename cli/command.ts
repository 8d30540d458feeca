// How a CLI command is described: its flags (each optionally standing for a configuration
// setting, so a flag and the environment variable of the same setting are interchangeable),
// its help text, and what it runs. Parsing and help come from this one description.
import { parseArgs } from "node:util";

export interface OptionSpec {
  /** The flag without dashes: `warehouse` is `--warehouse`. */
  name: string;
  type: "string" | "boolean";
  description: string;
  /** The configuration setting this flag sets (SPEC.md §5), e.g. WAREHOUSE. */
  setting?: string;
  /** Shown in the help; applied by the command, not by the parser. */
  defaultText?: string;
  /** The placeholder in the help, e.g. FILE. */
  valueName?: string;
}

export interface CliIo {
  out(line: string): void;
  err(line: string): void;
  env: Readonly<Record<string, string | undefined>>;
  /** Resolves when the user asks the command to stop (Ctrl-C); long-running commands use it. */
  interrupted: Promise<void>;
}

export interface ParsedCommand {
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
  /** Configuration settings: the environment, overridden by the flags that stand for settings. */
  settings: Record<string, string | undefined>;
  /** Which setting came from which flag, so an error about a setting can name the flag. */
  flagOfSetting: ReadonlyMap<string, string>;
}

export interface CommandSpec {
  name: string;
  summary: string;
  usage: string;
  /** Paragraphs after the usage line. */
  details?: string[];
  options: OptionSpec[];
  allowPositionals?: boolean;
  run(command: ParsedCommand, io: CliIo): Promise<number>;
}

/** A command line that does not fit the command: the message names the flag. */
export class UsageError extends Error {
  constructor(message: string, readonly command: string | undefined) {
    super(message);
    this.name = "UsageError";
  }
}

export function parseCommand(spec: CommandSpec, args: readonly string[], env: CliIo["env"]): ParsedCommand {
  const options = Object.fromEntries(spec.options.map((option) => [option.name, { type: option.type }]));
  let parsed;
  try {
    parsed = parseArgs({ args: [...args], options, strict: true, allowPositionals: spec.allowPositionals ?? false });
  } catch (error) {
    throw new UsageError(usageProblem(error), spec.name);
  }
  const values = parsed.values as Record<string, string | boolean | undefined>;
  const settings: Record<string, string | undefined> = { ...env };
  const flagOfSetting = new Map<string, string>();
  for (const option of spec.options) {
    const value = values[option.name];
    if (option.setting === undefined || value === undefined) continue;
    settings[option.setting] = typeof value === "boolean" ? String(value) : value;
    flagOfSetting.set(option.setting, `--${option.name}`);
  }
  return { values, positionals: parsed.positionals, settings, flagOfSetting };
}

// node:util parseArgs errors carry a code; their messages already name the option.
function usageProblem(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/\. To specify a positional argument starting with a '-'.*$/s, "");
}

export function commandHelp(spec: CommandSpec, program: string): string {
  const lines = [`Usage: ${program} ${spec.usage}`, "", spec.summary];
  for (const paragraph of spec.details ?? []) lines.push("", paragraph);
  if (spec.options.length > 0) {
    lines.push("", "Options:");
    const flags = spec.options.map((option) => `  --${option.name}${option.type === "string" ? ` ${option.valueName ?? "VALUE"}` : ""}`);
    const width = Math.max(...flags.map((flag) => flag.length)) + 2;
    spec.options.forEach((option, index) => {
      const notes = [option.setting === undefined ? undefined : `env ${option.setting}`, option.defaultText === undefined ? undefined : `default ${option.defaultText}`].filter((note) => note !== undefined);
      const flag = flags[index] ?? "";
      lines.push(`${flag.padEnd(width)}${option.description}${notes.length > 0 ? ` (${notes.join("; ")})` : ""}`);
    });
    lines.push(`${"  --help".padEnd(width)}Show this help`);
  }
  return lines.join("\n");
}

export function stringValue(command: ParsedCommand, name: string): string | undefined {
  const value = command.values[name];
  return typeof value === "string" ? value : undefined;
}

export function requiredString(command: ParsedCommand, name: string, commandName: string): string {
  const value = stringValue(command, name)?.trim();
  if (value === undefined || value === "") throw new UsageError(`--${name} is required`, commandName);
  return value;
}

export function integerValue(command: ParsedCommand, name: string, commandName: string, fallback: number, range: { min: number; max: number }): number {
  const text = stringValue(command, name);
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < range.min || value > range.max) throw new UsageError(`--${name} must be an integer from ${range.min} to ${range.max}, got '${text}'`, commandName);
  return value;
}
