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

const durationUnitsMs: Readonly<Record<string, number>> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** A duration: milliseconds, or a number with a unit (`90s`, `30m`, `12h`, `3d`). */
export function duration(settings: Settings, name: string, fallbackMs: number): number {
  const text = optional(settings, name)?.toLowerCase();
  if (text === undefined) return fallbackMs;
  const match = /^(\d+)(ms|s|m|h|d)?$/.exec(text);
  const value = match === null ? Number.NaN : Number(match[1]) * (durationUnitsMs[match[2] ?? "ms"] ?? Number.NaN);
  if (!Number.isSafeInteger(value)) throw new ConfigurationError(name, `must be a duration such as 3d, 12h, 30m, 90s or milliseconds, got '${text}'`);
  return value;
}
