// How the export authenticates to an Iceberg REST catalog (CATALOG=rest), from the
// REST_CATALOG_* settings. AWS's endpoints (glue.<region>.amazonaws.com/iceberg,
// s3tables.<region>.amazonaws.com/iceberg) take SigV4 with the service and region of their
// host; the open catalogs an OAuth2 client-credentials token or a static bearer token. The
// secrets (token, client secret) come from the environment or, in the stack, from the
// Secrets Manager secret named by REST_CATALOG_SECRET_ARN (lib/runtime/rest-catalog-credentials.ts).
import { ConfigurationError } from "../core/errors.js";
import { hasUserInfo, withoutUserInfo } from "../core/url-credentials.js";
import { oneOf, optional, type Settings } from "./settings.js";

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

const names = restCatalogAuthSettingNames;
const authTypes = ["none", "bearer", "oauth2", "sigv4"] as const;

/** The REST spec's default scope (iceberg-java's and pyiceberg's too). */
export const defaultOAuthScope = "catalog";

/** Service and region of an AWS Iceberg REST endpoint's host, e.g. s3tables.eu-west-1.amazonaws.com. */
export function awsRestEndpoint(uri: string): { signingName: string; region: string } | undefined {
  let host: string;
  try {
    host = new URL(uri).hostname.toLowerCase();
  } catch {
    return undefined;
  }
  const match = /^(glue|s3tables)\.([a-z0-9-]+)\.amazonaws\.com(\.cn)?$/.exec(host);
  return match === null ? undefined : { signingName: match[1] as string, region: match[2] as string };
}

/** Parses the REST_CATALOG_* auth settings; `uri` is REST_CATALOG_URI (to infer sigv4 for *.amazonaws.com). */
export function parseRestCatalogAuth(settings: Settings, uri: string): RestCatalogAuth {
  const endpoint = awsRestEndpoint(uri);
  const type = oneOf(settings, names.auth, authTypes, defaultAuthType(settings, endpoint));
  switch (type) {
    case "none":
      return { type };
    case "bearer":
      return { type, token: requiredSecret(settings, names.token, "with bearer auth: the catalog's access token") };
    case "oauth2":
      return {
        type,
        clientId: requiredFor(settings, names.oauthClientId, "with oauth2 auth: the OAuth2 client id"),
        clientSecret: requiredSecret(settings, names.oauthClientSecret, "with oauth2 auth: the OAuth2 client secret"),
        scope: optional(settings, names.oauthScope) ?? defaultOAuthScope,
        tokenUri: tokenUri(settings),
      };
    case "sigv4":
      return sigv4(settings, uri, endpoint);
  }
}

function defaultAuthType(settings: Settings, endpoint: ReturnType<typeof awsRestEndpoint>): (typeof authTypes)[number] {
  if (endpoint !== undefined) return "sigv4";
  if (optional(settings, names.oauthClientId) !== undefined) return "oauth2";
  if (optional(settings, names.token) !== undefined) return "bearer";
  return "none";
}

function sigv4(settings: Settings, uri: string, endpoint: ReturnType<typeof awsRestEndpoint>): RestCatalogAuth {
  const signingName = optional(settings, names.signingName) ?? endpoint?.signingName;
  if (signingName === undefined) {
    throw new ConfigurationError(names.signingName, `is required with sigv4 auth when the catalog's host is not glue.<region>.amazonaws.com or s3tables.<region>.amazonaws.com (got '${hostOf(uri)}'): glue or s3tables`);
  }
  if (!/^[a-z0-9-]+$/.test(signingName)) throw new ConfigurationError(names.signingName, `must be an AWS service signing name such as glue or s3tables, got '${signingName}'`);
  const region = optional(settings, names.signingRegion) ?? endpoint?.region ?? optional(settings, "AWS_REGION") ?? optional(settings, "AWS_DEFAULT_REGION");
  if (region === undefined) {
    throw new ConfigurationError(names.signingRegion, `is required with sigv4 auth: the catalog's host '${hostOf(uri)}' names no region and AWS_REGION is not set`);
  }
  if (!/^[a-z]{2}(-[a-z]+)+-\d+$/.test(region)) throw new ConfigurationError(names.signingRegion, `must be an AWS region such as us-east-1, got '${region}'`);
  return { type: "sigv4", signingName, region };
}

function tokenUri(settings: Settings): string | undefined {
  const value = optional(settings, names.oauthTokenUri);
  if (value === undefined) return undefined;
  if (hasUserInfo(value)) throw new ConfigurationError(names.oauthTokenUri, `must not hold credentials ('${withoutUserInfo(value)}' with a user name or password before '@'); set ${names.oauthClientId} and ${names.oauthClientSecret}`);
  if (!/^https?:\/\/[^/]/.test(value)) throw new ConfigurationError(names.oauthTokenUri, `must be an http(s) URL, got '${value}'`);
  return value;
}

function requiredFor(settings: Settings, name: string, what: string): string {
  const value = optional(settings, name);
  if (value === undefined) throw new ConfigurationError(name, `is required ${what}`);
  return value;
}

// A secret's value never appears in a message; where it may come from does.
function requiredSecret(settings: Settings, name: string, what: string): string {
  return requiredFor(settings, name, `${what} (set it, or put it in the Secrets Manager secret named by ${names.secretArn})`);
}

function hostOf(uri: string): string {
  try {
    return new URL(uri).host;
  } catch {
    return withoutUserInfo(uri);
  }
}
