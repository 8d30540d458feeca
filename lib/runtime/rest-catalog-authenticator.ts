// The request authenticator of a REST catalog from its auth settings: SigV4 for AWS's
// endpoints (the SDK's signer and credential chain, lib/adapters/aws), an OAuth2
// client-credentials token or a static bearer token for the others.
import type { AwsCredentialIdentity } from "@smithy/types";
import { createSigV4RequestAuthenticator } from "../adapters/aws/sigv4-request-authenticator.js";
import { createBearerTokenAuthenticator } from "../adapters/rest/bearer-token.js";
import { createOAuth2ClientCredentialsAuthenticator } from "../adapters/rest/oauth2-client-credentials.js";
import { noAuthentication, type RequestAuthenticator } from "../adapters/rest/request-authenticator.js";
import type { RestCatalogAuth } from "../config/rest-catalog-auth.js";

export function createRestCatalogAuthenticator(auth: RestCatalogAuth, options: { catalogUri: string; awsClientConfig?: object; fetch?: typeof fetch }): RequestAuthenticator {
  switch (auth.type) {
    case "none":
      return noAuthentication;
    case "bearer":
      return createBearerTokenAuthenticator(auth.token);
    case "oauth2":
      return createOAuth2ClientCredentialsAuthenticator({
        // The REST spec's token endpoint under the catalog's URI, unless configured.
        tokenUri: auth.tokenUri ?? `${options.catalogUri.replace(/\/+$/, "")}/v1/oauth/tokens`,
        clientId: auth.clientId,
        clientSecret: auth.clientSecret,
        scope: auth.scope,
        ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
      });
    case "sigv4": {
      // The credentials the other AWS clients are given (tests, the CLI's profile), else the default chain.
      const credentials = (options.awsClientConfig as { credentials?: AwsCredentialIdentity } | undefined)?.credentials;
      return createSigV4RequestAuthenticator({ signingName: auth.signingName, region: auth.region, ...(credentials === undefined ? {} : { credentials }) });
    }
  }
}
