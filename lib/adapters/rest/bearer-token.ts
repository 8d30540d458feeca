// A static bearer token (REST_CATALOG_TOKEN): sent as is with every request. Nothing to
// refresh, so a 401 is final; the token comes from the environment or Secrets Manager.
import type { RequestAuthenticator } from "./request-authenticator.js";

export function createBearerTokenAuthenticator(token: string): RequestAuthenticator {
  const headers = { Authorization: `Bearer ${token}` };
  return { headersFor: () => Promise.resolve({ ...headers }) };
}
