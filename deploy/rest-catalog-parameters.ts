// The stack's catalog parameters: `catalog` (glue, the default, or rest) and, for an Iceberg
// REST catalog, its URI, warehouse, namespace and authentication (docs/deploy.md). Which AWS
// service the requests are signed for (Glue's or S3 Tables' endpoint) decides the IAM
// statements (deploy/iam-policies.ts); another catalog authenticates with a token or OAuth2
// client credentials from a Secrets Manager secret, never with a parameter holding a secret.
import { awsRestEndpoint } from "../lib/config/rest-catalog-auth.js";
import { ConfigurationError } from "../lib/core/errors.js";
import { hasUserInfo, withoutUserInfo } from "../lib/core/url-credentials.js";
import { oneOf, optional, optionalField, secretArn, type RawParameters } from "./parameter-readers.js";

/** The AWS services whose Iceberg REST endpoints the stack grants access to. */
export type AwsRestCatalogService = "glue" | "s3tables";

export interface RestCatalogParameters {
  type: "rest";
  uri: string;
  /** Glue: the catalog's account id; S3 Tables: the table bucket's ARN; others: the catalog's warehouse name. */
  warehouse?: string;
  namespace: string;
  /** As given; left to the functions (from the URI and the secret) when not. */
  auth?: "none" | "bearer" | "oauth2" | "sigv4";
  /** The AWS service the requests are signed for, when they are SigV4 signed. */
  awsService?: AwsRestCatalogService;
  signingName?: string;
  signingRegion?: string;
  oauthClientId?: string;
  oauthScope?: string;
  /** {"token": ...} or {"clientSecret": ..., "clientId"?: ...}. */
  secretArn?: string;
  vendedCredentials: boolean;
}

export type CatalogParameters = { type: "glue" } | RestCatalogParameters;

export const catalogParameterNames = [
  "catalog",
  "restCatalogUri",
  "restCatalogWarehouse",
  "restCatalogNamespace",
  "restCatalogAuth",
  "restCatalogSigningName",
  "restCatalogSigningRegion",
  "restCatalogOauthClientId",
  "restCatalogOauthScope",
  "restCatalogSecretArn",
  "restCatalogVendedCredentials",
] as const;

const tableBucketArnPattern = /^arn:aws[a-z-]*:s3tables:[a-z0-9-]+:\d{12}:bucket\/[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/;

export function parseCatalogParameters(raw: RawParameters): CatalogParameters {
  const type = oneOf(raw, "catalog", ["glue", "rest"], "glue");
  if (type === "glue") {
    const misplaced = catalogParameterNames.find((name) => name !== "catalog" && optional(raw, name) !== undefined);
    if (misplaced !== undefined) throw new ConfigurationError(misplaced, "applies with catalog=rest only");
    return { type };
  }
  const uri = restCatalogUri(raw);
  const endpoint = awsRestEndpoint(uri);
  const given = {
    auth: optional(raw, "restCatalogAuth") === undefined ? undefined : oneOf(raw, "restCatalogAuth", ["none", "bearer", "oauth2", "sigv4"], undefined),
    signingName: optional(raw, "restCatalogSigningName"),
    signingRegion: optional(raw, "restCatalogSigningRegion"),
    oauthClientId: optional(raw, "restCatalogOauthClientId"),
    oauthScope: optional(raw, "restCatalogOauthScope"),
    secretArn: secretArn(raw, "restCatalogSecretArn"),
  };
  const auth = given.auth ?? (endpoint !== undefined ? "sigv4" : given.oauthClientId !== undefined ? "oauth2" : given.secretArn !== undefined ? undefined : "none");
  const awsService = auth === "sigv4" ? signedService(given.signingName, endpoint) : undefined;
  checkAuthParameters(auth, given);
  if (given.signingRegion !== undefined && !/^[a-z]{2}(-[a-z]+)+-\d+$/.test(given.signingRegion)) {
    throw new ConfigurationError("restCatalogSigningRegion", `must be an AWS region such as us-east-1, got '${given.signingRegion}'`);
  }
  const warehouse = restCatalogWarehouse(raw, awsService);
  return {
    type,
    uri,
    ...optionalField("warehouse", warehouse),
    namespace: restCatalogNamespace(raw, awsService),
    ...optionalField("auth", given.auth),
    ...optionalField("awsService", awsService),
    ...optionalField("signingName", given.signingName),
    ...optionalField("signingRegion", given.signingRegion),
    ...optionalField("oauthClientId", given.oauthClientId),
    ...optionalField("oauthScope", given.oauthScope),
    ...optionalField("secretArn", given.secretArn),
    vendedCredentials: oneOf(raw, "restCatalogVendedCredentials", ["true", "false"], "false") === "true",
  };
}

function restCatalogUri(raw: RawParameters): string {
  const uri = optional(raw, "restCatalogUri");
  if (uri === undefined) throw new ConfigurationError("restCatalogUri", "is required with catalog=rest: the catalog's base URL, e.g. https://glue.us-east-1.amazonaws.com/iceberg");
  if (hasUserInfo(uri)) {
    throw new ConfigurationError(
      "restCatalogUri",
      `must not hold credentials ('${withoutUserInfo(uri)}' with a user name or password before '@'), which would be written into the template: put a token or client secret in a Secrets Manager secret and pass its ARN as restCatalogSecretArn`,
    );
  }
  if (!/^https?:\/\/[^/]/.test(uri)) throw new ConfigurationError("restCatalogUri", `must be an http(s) URL, got '${uri}'`);
  return uri.replace(/\/+$/, "");
}

function signedService(signingName: string | undefined, endpoint: ReturnType<typeof awsRestEndpoint>): AwsRestCatalogService {
  const name = signingName ?? endpoint?.signingName;
  if (name === undefined) throw new ConfigurationError("restCatalogSigningName", "is required with restCatalogAuth=sigv4 when restCatalogUri is not https://glue.<region>.amazonaws.com/iceberg or https://s3tables.<region>.amazonaws.com/iceberg: glue or s3tables");
  if (name !== "glue" && name !== "s3tables") throw new ConfigurationError("restCatalogSigningName", `must be glue or s3tables (the services whose access the stack grants), got '${name}'`);
  return name;
}

function checkAuthParameters(auth: RestCatalogParameters["auth"], given: { signingName?: string; signingRegion?: string; oauthClientId?: string; oauthScope?: string; secretArn?: string }): void {
  if (auth !== "sigv4") {
    for (const name of ["signingName", "signingRegion"] as const) {
      if (given[name] !== undefined) throw new ConfigurationError(`restCatalog${name[0]?.toUpperCase()}${name.slice(1)}`, "applies with restCatalogAuth=sigv4 only");
    }
  }
  if (auth !== "oauth2" && auth !== undefined) {
    if (given.oauthClientId !== undefined) throw new ConfigurationError("restCatalogOauthClientId", "applies with restCatalogAuth=oauth2 only");
    if (given.oauthScope !== undefined) throw new ConfigurationError("restCatalogOauthScope", "applies with restCatalogAuth=oauth2 only");
  }
  if (auth === "sigv4" && given.secretArn !== undefined) throw new ConfigurationError("restCatalogSecretArn", "is not used with restCatalogAuth=sigv4: the functions sign with their own roles");
  if ((auth === "bearer" || auth === "oauth2") && given.secretArn === undefined) {
    const holds = auth === "bearer" ? '{"token": ...}' : '{"clientSecret": ...} (and "clientId" unless restCatalogOauthClientId is set)';
    throw new ConfigurationError("restCatalogSecretArn", `is required with restCatalogAuth=${auth}: a Secrets Manager secret holding ${holds}`);
  }
}

function restCatalogWarehouse(raw: RawParameters, awsService: AwsRestCatalogService | undefined): string | undefined {
  const warehouse = optional(raw, "restCatalogWarehouse");
  if (awsService === "s3tables" && (warehouse === undefined || !tableBucketArnPattern.test(warehouse))) {
    throw new ConfigurationError("restCatalogWarehouse", `must be the table bucket's ARN with S3 Tables (arn:aws:s3tables:<region>:<account>:bucket/<name>), got '${warehouse ?? ""}'`);
  }
  if (awsService === "glue" && warehouse !== undefined && !/^\d{12}$/.test(warehouse)) {
    throw new ConfigurationError("restCatalogWarehouse", `must be the account id of the Glue Data Catalog (12 digits) with Glue's endpoint, got '${warehouse}'`);
  }
  return warehouse;
}

// Single-level namespaces (S3 Tables has only those); AWS's catalogs take lower-case names.
function restCatalogNamespace(raw: RawParameters, awsService: AwsRestCatalogService | undefined): string {
  const namespace = optional(raw, "restCatalogNamespace") ?? "kafka";
  if (awsService !== undefined && !/^[a-z0-9][a-z0-9_]{0,254}$/.test(namespace)) {
    throw new ConfigurationError("restCatalogNamespace", `must be lower-case letters, digits and underscores with ${awsService === "glue" ? "Glue" : "S3 Tables"}, got '${namespace}'`);
  }
  if (!/^[^.\s\p{Cc}]+$/u.test(namespace)) throw new ConfigurationError("restCatalogNamespace", `must be one level, without '.' or spaces, got '${namespace}'`);
  return namespace;
}
