// The schema registry's basic-auth credentials, read from Secrets Manager once per Lambda
// container (issue #7): the secret named by SCHEMA_REGISTRY_SECRET_ARN is a JSON object
// {"username": "...", "password": "..."}.
import { settingNames, type Settings } from "../config/export-config.js";
import type { SecretReader } from "../adapters/aws/secrets-manager-secret.js";
import { withSecretSettings } from "./secret-settings.js";

/**
 * The settings with SCHEMA_REGISTRY_USERNAME and SCHEMA_REGISTRY_PASSWORD taken from the
 * secret named by SCHEMA_REGISTRY_SECRET_ARN; the settings unchanged when that is not set.
 */
export function withRegistryCredentials(settings: Settings, readSecret: SecretReader): Promise<Settings> {
  return withSecretSettings(settings, readSecret, {
    secretSetting: settingNames.registrySecretArn,
    shapes: [{ required: { username: settingNames.registryUsername, password: settingNames.registryPassword } }],
  });
}
