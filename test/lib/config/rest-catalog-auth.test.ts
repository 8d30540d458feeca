import { describe, expect, it } from "vitest";
import { parseRestCatalogAuth, restCatalogAuthSettingNames as names } from "../../../lib/config/rest-catalog-auth.js";
import { ConfigurationError } from "../../../lib/core/errors.js";

const polaris = "https://polaris.example.com/api/catalog";

describe("REST catalog auth settings", () => {
  it("sign for the service and region of AWS's endpoints without being told", () => {
    expect(parseRestCatalogAuth({}, "https://glue.us-east-1.amazonaws.com/iceberg")).toEqual({ type: "sigv4", signingName: "glue", region: "us-east-1" });
    expect(parseRestCatalogAuth({}, "https://s3tables.eu-west-1.amazonaws.com/iceberg")).toEqual({ type: "sigv4", signingName: "s3tables", region: "eu-west-1" });
  });

  it("take the signing name and region from their settings over the host's", () => {
    const settings = { [names.signingName]: "s3tables", [names.signingRegion]: "ap-south-1" };
    expect(parseRestCatalogAuth(settings, "https://glue.us-east-1.amazonaws.com/iceberg")).toEqual({ type: "sigv4", signingName: "s3tables", region: "ap-south-1" });
    expect(parseRestCatalogAuth({ [names.auth]: "sigv4", [names.signingName]: "glue", AWS_REGION: "eu-central-1" }, "http://127.0.0.1:9000")).toEqual({
      type: "sigv4",
      signingName: "glue",
      region: "eu-central-1",
    });
  });

  it("choose oauth2 when a client id is set, bearer when a token is, else none", () => {
    expect(parseRestCatalogAuth({ [names.oauthClientId]: "exporter", [names.oauthClientSecret]: "s3cret" }, polaris)).toEqual({
      type: "oauth2",
      clientId: "exporter",
      clientSecret: "s3cret",
      scope: "catalog",
      tokenUri: undefined,
    });
    expect(parseRestCatalogAuth({ [names.token]: "t0ken" }, polaris)).toEqual({ type: "bearer", token: "t0ken" });
    expect(parseRestCatalogAuth({}, polaris)).toEqual({ type: "none" });
    expect(parseRestCatalogAuth({ [names.auth]: "NONE", [names.token]: "t0ken" }, polaris)).toEqual({ type: "none" });
  });

  it("keep the scope and token URI given", () => {
    const settings = { [names.oauthClientId]: "exporter", [names.oauthClientSecret]: "s3cret", [names.oauthScope]: "PRINCIPAL_ROLE:ALL", [names.oauthTokenUri]: "https://idp.example.com/oauth2/token" };
    expect(parseRestCatalogAuth(settings, polaris)).toMatchObject({ scope: "PRINCIPAL_ROLE:ALL", tokenUri: "https://idp.example.com/oauth2/token" });
  });

  it.each([
    ["an unknown auth type", { [names.auth]: "kerberos" }, polaris, names.auth, "must be one of none, bearer, oauth2, sigv4, got 'kerberos'"],
    ["bearer without a token", { [names.auth]: "bearer" }, polaris, names.token, `is required with bearer auth: the catalog's access token (set it, or put it in the Secrets Manager secret named by ${names.secretArn})`],
    ["oauth2 without a client id", { [names.auth]: "oauth2", [names.oauthClientSecret]: "s3cret" }, polaris, names.oauthClientId, "is required with oauth2 auth: the OAuth2 client id"],
    ["oauth2 without a client secret", { [names.oauthClientId]: "exporter" }, polaris, names.oauthClientSecret, "is required with oauth2 auth: the OAuth2 client secret"],
    ["a token URI with credentials", { [names.oauthClientId]: "a", [names.oauthClientSecret]: "b", [names.oauthTokenUri]: "https://u:pw@idp.example.com/token" }, polaris, names.oauthTokenUri, "must not hold credentials ('https://idp.example.com/token'"],
    ["a token URI that is no URL", { [names.oauthClientId]: "a", [names.oauthClientSecret]: "b", [names.oauthTokenUri]: "idp.example.com/token" }, polaris, names.oauthTokenUri, "must be an http(s) URL"],
    ["sigv4 on a host that names no service", { [names.auth]: "sigv4", [names.signingRegion]: "us-east-1" }, "https://catalog.internal:8181", names.signingName, "is required with sigv4 auth when the catalog's host is not glue.<region>.amazonaws.com or s3tables.<region>.amazonaws.com (got 'catalog.internal:8181')"],
    ["sigv4 on a host that names no region, without AWS_REGION", { [names.auth]: "sigv4", [names.signingName]: "glue" }, "https://catalog.internal", names.signingRegion, "is required with sigv4 auth: the catalog's host 'catalog.internal' names no region and AWS_REGION is not set"],
    ["a signing region that is no region", { [names.signingRegion]: "Ireland" }, "https://glue.eu-west-1.amazonaws.com/iceberg", names.signingRegion, "must be an AWS region such as us-east-1, got 'Ireland'"],
    ["a signing name that is no service name", { [names.signingName]: "S3 Tables" }, "https://s3tables.eu-west-1.amazonaws.com/iceberg", names.signingName, "must be an AWS service signing name"],
  ])("refuse %s, naming the setting", (_case, settings, uri, setting, problem) => {
    let error: unknown;
    try {
      parseRestCatalogAuth(settings, uri);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(error).toMatchObject({ setting });
    expect((error as Error).message).toContain(`configuration setting ${setting}: ${problem}`);
  });

  it("never show a secret in its messages", () => {
    expect(() => parseRestCatalogAuth({ [names.auth]: "oauth2", [names.oauthClientSecret]: "s3cret-value" }, polaris)).toThrow(/^(?!.*s3cret-value)/s);
  });
});
