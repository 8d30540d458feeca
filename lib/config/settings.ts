// Reading one setting from a flat map of strings (the environment, or CLI flags under the
// same names): each reader names the setting in its error.
import { ConfigurationError } from "../core/errors.js";

export type Settings = Readonly<Record<string, string | undefined>>;

export function optional(settings: Settings, name: string): string | undefined {
  const value = settings[name]?.trim();
  return value === undefined || value === "" ? undefined : value;
}

export function required(settings: Settings, name: string): string {
  const value = optional(settings, name);
  if (value === undefined) throw new ConfigurationError(name, "is required");
  return value;
}

export function positiveInteger(settings: Settings, name: string, fallback: number): number {
  const text = optional(settings, name);
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(value) || value <= 0) throw new ConfigurationError(name, `must be a positive integer, got '${text}'`);
  return value;
}

export function boolean(settings: Settings, name: string, fallback: boolean): boolean {
  const text = optional(settings, name)?.toLowerCase();
  if (text === undefined) return fallback;
  if (text === "true" || text === "1") return true;
  if (text === "false" || text === "0") return false;
  throw new ConfigurationError(name, `must be true or false, got '${text}'`);
}

export function oneOf<T extends string>(settings: Settings, name: string, allowed: readonly T[], fallback: T | undefined): T {
  const text = optional(settings, name);
  if (text === undefined) {
    if (fallback === undefined) throw new ConfigurationError(name, `is required: one of ${allowed.join(", ")}`);
    return fallback;
  }
  const value = allowed.find((candidate) => candidate === text.toLowerCase());
  if (value === undefined) throw new ConfigurationError(name, `must be one of ${allowed.join(", ")}, got '${text}'`);
  return value;
}
