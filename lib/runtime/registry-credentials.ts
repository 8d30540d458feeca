// The schema registry's basic-auth credentials, read from Secrets Manager once per Lambda
// container (issue #7): the stack passes only the secret's ARN, so the credentials are in
// neither the template nor the function's environment. The secret is a JSON object
// {"username": "...", "password": "..."}; its contents never appear in an error message.
import { settingNames, type Settings } from "../config/export-config.js";
import { ConfigurationError, ExportError } from "../core/errors.js";
import type { SecretReader } from "../adapters/aws/secrets-manager-secret.js";

/**
 * The settings with SCHEMA_REGISTRY_USERNAME and SCHEMA_REGISTRY_PASSWORD taken from the
 * secret named by SCHEMA_REGISTRY_SECRET_ARN; the settings unchanged when that is not set.
 */
export async function withRegistryCredentials(settings: Settings, readSecret: SecretReader): Promise<Settings> {
  const name = settingNames.registrySecretArn;
  const secretArn = settings[name]?.trim();
  if (secretArn === undefined || secretArn === "") return settings;
  for (const direct of [settingNames.registryUsername, settingNames.registryPassword]) {
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
  const { username, password } = registryCredentials(text, secretArn);
  return { ...settings, [settingNames.registryUsername]: username, [settingNames.registryPassword]: password };
}

function registryCredentials(text: string, secretArn: string): { username: string; password: string } {
  const expected = `secret ${secretArn} must be a JSON object with string fields "username" and "password"`;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ConfigurationError(settingNames.registrySecretArn, `${expected}; it is not JSON`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new ConfigurationError(settingNames.registrySecretArn, `${expected}; it is not an object`);
  const fields = value as Record<string, unknown>;
  const missing = ["username", "password"].filter((field) => typeof fields[field] !== "string" || fields[field] === "");
  if (missing.length > 0) throw new ConfigurationError(settingNames.registrySecretArn, `${expected}; missing or empty: ${missing.join(", ")}`);
  return { username: fields["username"] as string, password: fields["password"] as string };
}
