// Independent checkers of how we authenticate to a REST catalog, in the test environment's
// Python: a server that verifies each request's SigV4 signature with botocore, and an OAuth2
// token endpoint issuing short-lived tokens with one route that accepts only live ones.
import { join } from "node:path";
import { projectRoot } from "./install.js";
import { startPythonServer, type RunningPythonServer } from "./python-server.js";

const pythonDir = join(projectRoot, "test", "env", "python");

export interface AwsTestCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** Accepts (200) only requests signed for `service` and `region` with `credentials`; 403 otherwise. */
export function startSigV4Verifier(options: { service: string; region: string; credentials: AwsTestCredentials; workDir: string }): Promise<RunningPythonServer> {
  const { credentials } = options;
  return startPythonServer({
    name: `sigv4-verifier-${options.service}-${options.region}`,
    script: join(pythonDir, "sigv4_verifier.py"),
    args: [
      "--service",
      options.service,
      "--region",
      options.region,
      "--access-key",
      credentials.accessKeyId,
      "--secret-key",
      credentials.secretAccessKey,
      ...(credentials.sessionToken === undefined ? [] : ["--session-token", credentials.sessionToken]),
    ],
    workDir: options.workDir,
  });
}

export interface OAuth2TokenServerStats {
  tokensIssued: number;
  accepted: number;
  refused: number;
}

/** POST /v1/oauth/tokens issues tokens living `expiresInSeconds`; GET /v1/config needs a live one. */
export async function startOAuth2TokenServer(options: { clientId: string; clientSecret: string; scope?: string; expiresInSeconds: number; workDir: string }): Promise<RunningPythonServer & { stats(): Promise<OAuth2TokenServerStats> }> {
  const server = await startPythonServer({
    name: "oauth2-token-server",
    script: join(pythonDir, "oauth2_token_server.py"),
    args: ["--client-id", options.clientId, "--client-secret", options.clientSecret, "--scope", options.scope ?? "catalog", "--expires-in", String(options.expiresInSeconds)],
    workDir: options.workDir,
  });
  return { ...server, stats: async () => (await (await fetch(`${server.endpoint}/test/stats`)).json()) as OAuth2TokenServerStats };
}
