import { describe, expect, it } from "vitest";
import { noAuthentication } from "../../../lib/adapters/rest/request-authenticator.js";
import { createRestCatalogAuthenticator } from "../../../lib/runtime/rest-catalog-authenticator.js";

const request = { method: "GET", url: "https://catalog.example.com/api/v1/config", headers: {} };

describe("the REST catalog's authenticator from its auth settings", () => {
  it("adds nothing without auth, and a static bearer token as it is", async () => {
    expect(createRestCatalogAuthenticator({ type: "none" }, { catalogUri: "https://catalog.example.com/api" })).toBe(noAuthentication);
    const bearer = createRestCatalogAuthenticator({ type: "bearer", token: "t0ken" }, { catalogUri: "https://catalog.example.com/api" });
    expect(await bearer.headersFor(request)).toEqual({ Authorization: "Bearer t0ken" });
  });

  it("asks <uri>/v1/oauth/tokens for an OAuth2 token unless a token URI is configured", async () => {
    const asked: string[] = [];
    const fetchImpl = (input: string | URL | Request): Promise<Response> => {
      asked.push(input instanceof Request ? input.url : input.toString());
      return Promise.resolve(new Response(JSON.stringify({ access_token: "issued", token_type: "bearer", expires_in: 3600 })));
    };
    const oauth2 = { type: "oauth2", clientId: "c", clientSecret: "s", scope: "catalog" } as const;
    const byDefault = createRestCatalogAuthenticator({ ...oauth2, tokenUri: undefined }, { catalogUri: "https://catalog.example.com/api/", fetch: fetchImpl });
    expect(await byDefault.headersFor(request)).toEqual({ Authorization: "Bearer issued" });
    const configured = createRestCatalogAuthenticator({ ...oauth2, tokenUri: "https://idp.example.com/token" }, { catalogUri: "https://catalog.example.com/api", fetch: fetchImpl });
    await configured.headersFor(request);
    expect(asked).toEqual(["https://catalog.example.com/api/v1/oauth/tokens", "https://idp.example.com/token"]);
  });

  it("signs with the credentials the AWS clients are given", async () => {
    const sigv4 = createRestCatalogAuthenticator({ type: "sigv4", signingName: "s3tables", region: "eu-west-1" }, { catalogUri: "https://s3tables.eu-west-1.amazonaws.com/iceberg", awsClientConfig: { credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret" } } });
    const headers = await sigv4.headersFor({ method: "GET", url: "https://s3tables.eu-west-1.amazonaws.com/iceberg/v1/config", headers: {} });
    expect(headers["authorization"]).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/eu-west-1\/s3tables\/aws4_request, SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature=[0-9a-f]{64}$/);
    expect(Object.keys(headers).sort()).toEqual(["authorization", "x-amz-content-sha256", "x-amz-date"]);
  });
});
