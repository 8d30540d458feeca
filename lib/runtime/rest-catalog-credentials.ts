// A REST catalog's secrets, read from Secrets Manager once per Lambda container: the secret
// named by REST_CATALOG_SECRET_ARN is {"token": "..."} (bearer) or {"clientSecret": "..."}
// with an optional "clientId" (OAuth2 client credentials; the id may be a plain setting).
import { restCatalogAuthSettingNames as names } from "../config/rest-catalog-auth.js";
import type { Settings } from "../config/settings.js";
import type { SecretReader } from "../adapters/aws/secrets-manager-secret.js";
import { withSecretSettings } from "./secret-settings.js";

export function withRestCatalogCredentials(settings: Settings, readSecret: SecretReader): Promise<Settings> {
  return withSecretSettings(settings, readSecret, {
    secretSetting: names.secretArn,
    shapes: [{ required: { token: names.token } }, { required: { clientSecret: names.oauthClientSecret }, optional: { clientId: names.oauthClientId } }],
  });
}
