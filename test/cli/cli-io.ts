// A CliIo that records what a command prints.
import type { CliIo } from "../../cli/command.js";

export interface RecordedIo extends CliIo {
  stdout: string[];
  stderr: string[];
}

export function recordedIo(env: Record<string, string | undefined> = {}): RecordedIo {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (line) => stdout.push(line), err: (line) => stderr.push(line), env, interrupted: new Promise(() => undefined) };
}
