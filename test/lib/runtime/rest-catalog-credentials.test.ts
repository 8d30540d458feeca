import { describe, expect, it } from "vitest";
import { parseRestCatalogAuth, restCatalogAuthSettingNames as names } from "../../../lib/config/rest-catalog-auth.js";
import { ExportError } from "../../../lib/core/errors.js";
import { withRestCatalogCredentials } from "../../../lib/runtime/rest-catalog-credentials.js";

const secretArn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:polaris-AbCdEf";
const uri = "https://polaris.example.com/api/catalog";

function secretHolding(text: string): (id: string) => Promise<string> {
  return (id) => (id === secretArn ? Promise.resolve(text) : Promise.reject(new ExportError("INTERNAL", `no secret ${id}`)));
}

describe("REST catalog credentials from Secrets Manager", () => {
  it("give OAuth2 its client id and secret", async () => {
    const settings = await withRestCatalogCredentials({ [names.secretArn]: secretArn }, secretHolding('{"clientId":"exporter","clientSecret":"s3cret"}'));
    expect(parseRestCatalogAuth(settings, uri)).toEqual({ type: "oauth2", clientId: "exporter", clientSecret: "s3cret", scope: "catalog", tokenUri: undefined });
  });

  it("give OAuth2 its secret beside a client id set as a plain setting", async () => {
    const settings = await withRestCatalogCredentials({ [names.secretArn]: secretArn, [names.oauthClientId]: "exporter" }, secretHolding('{"clientSecret":"s3cret"}'));
    expect(parseRestCatalogAuth(settings, uri)).toMatchObject({ type: "oauth2", clientId: "exporter", clientSecret: "s3cret" });
  });

  it("give a bearer token", async () => {
    const settings = await withRestCatalogCredentials({ [names.secretArn]: secretArn }, secretHolding('{"token":"t0ken"}'));
    expect(parseRestCatalogAuth(settings, uri)).toEqual({ type: "bearer", token: "t0ken" });
  });

  it("are not read when no secret is configured", async () => {
    const base = { [names.token]: "t0ken" };
    expect(await withRestCatalogCredentials(base, () => Promise.reject(new Error("must not be called")))).toBe(base);
  });

  it.each([
    ["holds neither shape", '{"username":"exporter"}', "missing or empty: token"],
    ["is not JSON", "s3cret", "it is not JSON"],
  ])("refuse a secret that %s, naming the setting and the accepted shapes", async (_case, text, problem) => {
    const failure = withRestCatalogCredentials({ [names.secretArn]: secretArn }, secretHolding(text));
    await expect(failure).rejects.toThrow(`configuration setting ${names.secretArn}: secret ${secretArn} must be a JSON object with string fields "token", or "clientSecret" (optionally "clientId")`);
    await expect(failure).rejects.toThrow(problem);
  });

  it("refuse a secret together with a direct secret setting, and a client id that disagrees", async () => {
    await expect(withRestCatalogCredentials({ [names.secretArn]: secretArn, [names.oauthClientSecret]: "x" }, secretHolding("{}"))).rejects.toThrow(
      `configuration setting ${names.secretArn}: set either ${names.secretArn} or ${names.oauthClientSecret}, not both`,
    );
    await expect(withRestCatalogCredentials({ [names.secretArn]: secretArn, [names.oauthClientId]: "other" }, secretHolding('{"clientId":"exporter","clientSecret":"s3cret"}'))).rejects.toThrow(
      `the secret's "clientId" differs from ${names.oauthClientId}`,
    );
  });
});
