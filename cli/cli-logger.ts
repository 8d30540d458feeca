// The core's logger on a terminal: warnings and errors to stderr, one line each with their
// attributes as JSON; info only with --verbose (progress is the command's own output).
import type { Logger } from "../lib/core/logger.js";
import type { CliIo } from "./command.js";

export function cliLogger(io: CliIo, options: { verbose?: boolean } = {}): Logger {
  function line(level: string, message: string, attributes: Record<string, unknown> | undefined): string {
    return attributes === undefined ? `${level}: ${message}` : `${level}: ${message} ${JSON.stringify(attributes, jsonReplacer)}`;
  }
  return {
    info: (message, attributes) => {
      if (options.verbose === true) io.err(line("info", message, attributes));
    },
    warn: (message, attributes) => {
      io.err(line("warning", message, attributes));
    },
    error: (message, attributes) => {
      io.err(line("error", message, attributes));
    },
  };
}

function jsonReplacer(_key: string, value: unknown): unknown {
  if (typeof value === "bigint") return value.toString();
  if (value instanceof Error) return { name: value.name, message: value.message };
  return value;
}
