// Reads a secret's string from AWS Secrets Manager, for settings that must not sit in the
// Lambda environment (the schema registry's credentials).
import { GetSecretValueCommand, type SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { ExportError } from "../../core/errors.js";
import { awsFailure } from "./aws-errors.js";

export type SecretReader = (secretId: string) => Promise<string>;

export function createSecretsManagerReader(client: SecretsManagerClient): SecretReader {
  return async function readSecret(secretId: string): Promise<string> {
    let secretString: string | undefined;
    try {
      ({ SecretString: secretString } = await client.send(new GetSecretValueCommand({ SecretId: secretId })));
    } catch (error) {
      throw awsFailure(`Secrets Manager GetSecretValue ${secretId}`, error);
    }
    if (secretString === undefined) throw new ExportError("CONFIGURATION", `secret ${secretId} holds binary data; a JSON string is expected`);
    return secretString;
  };
}
