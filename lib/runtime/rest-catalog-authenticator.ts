// The authenticator of the configured REST catalog auth. This version builds the kinds that
// need nothing but the settings: none, and a static bearer token.
import type { RequestAuthenticator } from "../adapters/rest/request-authenticator.js";
import { noAuthentication } from "../adapters/rest/request-authenticator.js";
import type { RestCatalogAuth } from "../config/rest-catalog-auth.js";
import { ConfigurationError } from "../core/errors.js";

export function createRestCatalogAuthenticator(auth: RestCatalogAuth, options: { catalogUri: string; awsClientConfig?: object; fetch?: typeof fetch }): RequestAuthenticator {
  switch (auth.type) {
    case "none":
      return noAuthentication;
    case "bearer": {
      const headers = { Authorization: `Bearer ${auth.token}` };
      return { headersFor: () => Promise.resolve(headers) };
    }
    default:
      throw new ConfigurationError("REST_CATALOG_AUTH", `${auth.type} authentication to ${options.catalogUri} is not supported by this build`);
  }
}
