// Settings that must not sit in a Lambda's environment (the registry's password, a REST
// catalog's token or client secret), read from a Secrets Manager secret once per container
// (issue #7): the stack passes only the secret's ARN. The secret is a JSON object whose
// string fields fill settings; it may have one of several shapes (a token, or a client id
// and secret). Its contents never appear in an error message.
import type { Settings } from "../config/settings.js";
import { ConfigurationError, ExportError } from "../core/errors.js";
import type { SecretReader } from "../adapters/aws/secrets-manager-secret.js";

export interface SecretShape {
  /** JSON field → the setting it fills; all must be non-empty strings. */
  required: Readonly<Record<string, string>>;
  /** JSON fields that may be there too; a setting given directly must then agree. */
  optional?: Readonly<Record<string, string>>;
}

export interface SecretSettings {
  /** The setting holding the secret's ARN. */
  secretSetting: string;
  /** The accepted shapes, the first that fits wins. */
  shapes: readonly SecretShape[];
}

/** The settings with the fields of the secret named by `secretSetting`; unchanged when that is not set. */
export async function withSecretSettings(settings: Settings, readSecret: SecretReader, secret: SecretSettings): Promise<Settings> {
  const name = secret.secretSetting;
  const secretArn = settings[name]?.trim();
  if (secretArn === undefined || secretArn === "") return settings;
  for (const direct of secret.shapes.flatMap((shape) => Object.values(shape.required))) {
    if ((settings[direct]?.trim() ?? "") !== "") throw new ConfigurationError(name, `set either ${name} or ${direct}, not both`);
  }
  let text: string;
  try {
    text = await readSecret(secretArn);
  } catch (error) {
    // Unavailable: retried with the batch. Missing, denied or binary: a setting to fix.
    if (error instanceof ExportError && error.retryable) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw Object.assign(new ConfigurationError(name, `cannot read the secret: ${reason}`), { cause: error });
  }
  return { ...settings, ...secretFields(text, secretArn, secret, settings) };
}

function secretFields(text: string, secretArn: string, secret: SecretSettings, settings: Settings): Record<string, string> {
  const expected = `secret ${secretArn} must be a JSON object with string fields ${secret.shapes.map(describeShape).join(", or ")}`;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ConfigurationError(secret.secretSetting, `${expected}; it is not JSON`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new ConfigurationError(secret.secretSetting, `${expected}; it is not an object`);
  const fields = value as Record<string, unknown>;
  const isGiven = (field: string): boolean => typeof fields[field] === "string" && fields[field] !== "";
  const shape = secret.shapes.find((candidate) => Object.keys(candidate.required).every(isGiven));
  if (shape === undefined) {
    // Name what the closest shape lacks.
    const missing = secret.shapes.map((candidate) => Object.keys(candidate.required).filter((field) => !isGiven(field))).sort((a, b) => a.length - b.length)[0] ?? [];
    throw new ConfigurationError(secret.secretSetting, `${expected}; missing or empty: ${missing.join(", ")}`);
  }
  const filled: Record<string, string> = {};
  for (const [field, setting] of Object.entries(shape.required)) filled[setting] = fields[field] as string;
  for (const [field, setting] of Object.entries(shape.optional ?? {})) {
    if (!isGiven(field)) continue;
    const direct = settings[setting]?.trim() ?? "";
    if (direct !== "" && direct !== fields[field]) throw new ConfigurationError(secret.secretSetting, `the secret's "${field}" differs from ${setting}; set it in one place`);
    filled[setting] = fields[field] as string;
  }
  return filled;
}

function describeShape(shape: SecretShape): string {
  const required = Object.keys(shape.required).map((field) => `"${field}"`);
  const optional = Object.keys(shape.optional ?? {}).map((field) => `"${field}"`);
  const joined = required.length <= 1 ? required.join("") : `${required.slice(0, -1).join(", ")} and ${required[required.length - 1]}`;
  return optional.length === 0 ? joined : `${joined} (optionally ${optional.join(", ")})`;
}
