// `npm run package` refuses a schema registry URL that carries a password, so it can never
// be written into the template or the functions' environment, and never prints it.
import { describe, expect, it } from "vitest";
import { packageStackFailure } from "./package-stack.js";

describe("npm run package with credentials in a URL", () => {
  it("refuses a registry URL with a password, naming the secret parameter, and never prints the password", async () => {
    const output = await packageStackFailure({
      mskClusterArn: "arn:aws:kafka:us-east-1:123456789012:cluster/events/0b1c2d3e-aaaa-bbbb-cccc-0123456789ab-7",
      topics: "orders",
      schemaRegistryUrl: "https://svc:pw-s3cret-42@registry.example.com",
    });
    expect(output).toContain("configuration setting schemaRegistryUrl: must not hold credentials ('https://registry.example.com'");
    expect(output).toContain("schemaRegistrySecretArn");
    expect(output).not.toContain("pw-s3cret-42");
  }, 240_000);
});
