// SigV4 for the Iceberg REST endpoints AWS serves: Glue's (signing name `glue`) and S3
// Tables' (`s3tables`). Signed with the AWS SDK's own signer over the exact request the
// catalog adapter sends: method, path and query, the host and the other headers, the body's
// SHA-256 (also sent as x-amz-content-sha256). Credentials come from the SDK's default chain
// (the Lambda role), which caches them and renews them before they expire.
import { defaultProvider } from "@aws-sdk/credential-provider-node";
import { Sha256 } from "@smithy/core/checksum";
import { SignatureV4 } from "@smithy/signature-v4";
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider, HttpRequest, QueryParameterBag } from "@smithy/types";
import type { RequestAuthenticator, RestRequest } from "../rest/request-authenticator.js";
import { awsFailure } from "./aws-errors.js";

export interface SigV4AuthenticatorOptions {
  signingName: string;
  region: string;
  /** Fixed credentials or a provider; the SDK's default chain otherwise. */
  credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  /** The signing time; the clock otherwise. */
  now?: () => number;
}

export function createSigV4RequestAuthenticator(options: SigV4AuthenticatorOptions): RequestAuthenticator {
  const signer = new SignatureV4({
    service: options.signingName,
    region: options.region,
    credentials: options.credentials ?? defaultProvider(),
    sha256: Sha256,
    // Services other than S3 sign the path URI-encoded once more than it is sent (AWS
    // "Create a canonical request"); the REST paths hold encoded names and warehouse ARNs.
    uriEscapePath: true,
  });
  return {
    async headersFor(request: RestRequest) {
      const unsigned = httpRequest(request);
      let signed: HttpRequest;
      try {
        signed = await signer.sign(unsigned, options.now === undefined ? {} : { signingDate: new Date(options.now()) });
      } catch (error) {
        // Mostly the credential chain: no role, or IMDS/STS not answering.
        throw awsFailure(`SigV4 signing of ${request.method} ${request.url} for ${options.signingName} in ${options.region}`, error);
      }
      // What the signer added (authorization, x-amz-date, x-amz-content-sha256,
      // x-amz-security-token); the host header is signed but set by fetch from the URL.
      const given = new Set(Object.keys(request.headers).map((name) => name.toLowerCase()));
      return Object.fromEntries(Object.entries(signed.headers).filter(([name]) => name !== "host" && !given.has(name.toLowerCase())));
    },
  };
}

function httpRequest(request: RestRequest): HttpRequest {
  const url = new URL(request.url);
  const query: QueryParameterBag = {};
  for (const [name, value] of url.searchParams) {
    const existing = query[name];
    query[name] = existing === undefined || existing === null ? value : Array.isArray(existing) ? [...existing, value] : [existing, value];
  }
  return {
    method: request.method.toUpperCase(),
    protocol: url.protocol,
    hostname: url.hostname,
    ...(url.port === "" ? {} : { port: Number(url.port) }),
    path: url.pathname,
    query,
    headers: { ...request.headers, host: url.host },
    ...(request.body === undefined ? {} : { body: request.body }),
  };
}
