// The one place that reads the process environment.
import { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { createSecretsManagerReader } from "../adapters/aws/secrets-manager-secret.js";
import { parseExportConfig, type ExportConfig, type Settings } from "../config/export-config.js";
import { withRegistryCredentials } from "./registry-credentials.js";
import { withRestCatalogCredentials } from "./rest-catalog-credentials.js";
import type { RuntimeOptions } from "./ingest-runtime.js";

export function configFromEnvironment(): ExportConfig {
  return parseExportConfig(process.env);
}

/** The raw settings, for the configurations of single functions (maintenance). */
export function settingsFromEnvironment(): Settings {
  return process.env;
}

/**
 * The configuration with the secrets it names resolved (the registry's credentials, from
 * SCHEMA_REGISTRY_SECRET_ARN; a REST catalog's token or client secret, from
 * REST_CATALOG_SECRET_ARN); for a Lambda cold start. Without a secret setting it makes
 * no AWS call.
 */
export async function configFromEnvironmentAndSecrets(options: Pick<RuntimeOptions, "awsClientConfig"> = {}): Promise<ExportConfig> {
  const readSecret = (secretId: string): Promise<string> => createSecretsManagerReader(new SecretsManagerClient(options.awsClientConfig ?? {}))(secretId);
  return parseExportConfig(await withRestCatalogCredentials(await withRegistryCredentials(process.env, readSecret), readSecret));
}
