// Readers of the stack's raw parameters (`--param "name=value"`), each naming the
// parameter in its error, shared by the parameter groups (deploy/stack-parameters.ts,
// deploy/rest-catalog-parameters.ts).
import { ConfigurationError } from "../lib/core/errors.js";

export type RawParameters = Readonly<Record<string, string | undefined>>;

const secretArnPattern = /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:.+$/;

export function optional(raw: RawParameters, name: string): string | undefined {
  const value = raw[name]?.trim();
  return value === undefined || value === "" ? undefined : value;
}

export function list(raw: RawParameters, name: string): string[] {
  return (optional(raw, name) ?? "")
    .split(",")
    .map((entry) => entry.trim())
    .filter((entry) => entry !== "");
}

export function optionalInteger(raw: RawParameters, name: string, bounds: { min: number; max?: number }): number | undefined {
  const text = optional(raw, name);
  if (text === undefined) return undefined;
  const value = Number(text);
  const { min, max = Number.MAX_SAFE_INTEGER } = bounds;
  if (!/^\d+$/.test(text) || value < min || value > max) throw new ConfigurationError(name, `must be an integer from ${min} to ${max}, got '${text}'`);
  return value;
}

export function integer(raw: RawParameters, name: string, bounds: { fallback: number; min: number; max?: number }): number {
  return optionalInteger(raw, name, bounds) ?? bounds.fallback;
}

export function fraction(raw: RawParameters, name: string, fallback: number): number {
  const text = optional(raw, name);
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!/^(0|1)?(\.\d+)?$/.test(text) || !(value > 0 && value <= 1)) throw new ConfigurationError(name, `must be a fraction above 0 and at most 1 (0.01 is 1%), got '${text}'`);
  return value;
}

export function oneOf<T extends string>(raw: RawParameters, name: string, allowed: readonly T[], fallback: T | undefined): T {
  const text = optional(raw, name);
  if (text === undefined) {
    if (fallback === undefined) throw new ConfigurationError(name, `is required: one of ${allowed.join(", ")}`);
    return fallback;
  }
  const value = allowed.find((candidate) => candidate === text);
  if (value === undefined) throw new ConfigurationError(name, `must be one of ${allowed.join(", ")}, got '${text}'`);
  return value;
}

export function arn(raw: RawParameters, name: string, pattern: RegExp): string | undefined {
  const value = optional(raw, name);
  if (value !== undefined && !pattern.test(value)) throw new ConfigurationError(name, `is not a valid ARN of the expected kind: '${value}'`);
  return value;
}

export function secretArn(raw: RawParameters, name: string): string | undefined {
  return arn(raw, name, secretArnPattern);
}

export function requiredSecretArn(raw: RawParameters, name: string, when: string): string {
  const value = secretArn(raw, name);
  if (value === undefined) throw new ConfigurationError(name, `is required ${when} (a Secrets Manager secret ARN)`);
  return value;
}

export function optionalField<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return value === undefined ? {} : ({ [key]: value } as { [P in K]?: V });
}
