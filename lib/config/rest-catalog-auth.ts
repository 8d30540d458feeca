// How the export authenticates to an Iceberg REST catalog (REST_CATALOG_AUTH and the settings
// of each kind). This version reads the kinds that need nothing from AWS or a token server:
// none, and a static bearer token.
import { ConfigurationError } from "../core/errors.js";
import { optional, type Settings } from "./settings.js";

export type RestCatalogAuth =
  | { type: "none" }
  | { type: "bearer"; token: string }
  | { type: "oauth2"; clientId: string; clientSecret: string; scope: string; tokenUri: string | undefined }
  | { type: "sigv4"; signingName: string; region: string };

export const restCatalogAuthSettingNames = {
  auth: "REST_CATALOG_AUTH",
  token: "REST_CATALOG_TOKEN",
  oauthClientId: "REST_CATALOG_OAUTH_CLIENT_ID",
  oauthClientSecret: "REST_CATALOG_OAUTH_CLIENT_SECRET",
  oauthScope: "REST_CATALOG_OAUTH_SCOPE",
  oauthTokenUri: "REST_CATALOG_OAUTH_TOKEN_URI",
  signingName: "REST_CATALOG_SIGNING_NAME",
  signingRegion: "REST_CATALOG_SIGNING_REGION",
  secretArn: "REST_CATALOG_SECRET_ARN",
} as const;

/** Parses the REST_CATALOG_* auth settings; `uri` is REST_CATALOG_URI (to infer sigv4 for *.amazonaws.com). */
export function parseRestCatalogAuth(settings: Settings, uri: string): RestCatalogAuth {
  const names = restCatalogAuthSettingNames;
  const token = optional(settings, names.token);
  const type = optional(settings, names.auth)?.toLowerCase() ?? defaultAuthType(settings, uri, token);
  if (type === "none") return { type };
  if (type === "bearer") {
    if (token === undefined) throw new ConfigurationError(names.token, `is required with ${names.auth}=bearer`);
    return { type, token };
  }
  throw new ConfigurationError(names.auth, `'${type}' is not supported by this build: use none or bearer`);
}

function defaultAuthType(settings: Settings, uri: string, token: string | undefined): string {
  if (/^https:\/\/(glue|s3tables)\.[a-z0-9-]+\.amazonaws\.com(\/|$)/.test(uri)) return "sigv4";
  if (optional(settings, restCatalogAuthSettingNames.oauthClientId) !== undefined) return "oauth2";
  return token === undefined ? "none" : "bearer";
}
