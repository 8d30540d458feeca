// A loopback server written in the test environment's Python (moto, the SigV4 verifier, the
// OAuth2 token endpoint): it binds port 0 itself and reports the port it got as one JSON
// line {"ready": true, "port": N} on stdout.
import { join } from "node:path";
import { startProcess } from "./process.js";
import { pythonBin } from "./python.js";

export interface RunningPythonServer {
  endpoint: string;
  stop(): Promise<void>;
}

export async function startPythonServer(options: { name: string; script: string; args: string[]; workDir: string; readyTimeoutMs?: number }): Promise<RunningPythonServer> {
  const server = startProcess({
    name: options.name,
    command: pythonBin,
    args: [options.script, ...options.args],
    logFile: join(options.workDir, `${options.name}.log`),
    cwd: options.workDir,
  });
  try {
    const port = await server.waitForLine(readyPort, options.readyTimeoutMs ?? 30_000);
    return { endpoint: `http://127.0.0.1:${port}`, stop: () => server.stop() };
  } catch (error) {
    await server.stop();
    throw error;
  }
}

function readyPort(line: string): number | undefined {
  if (!line.startsWith("{")) return undefined;
  const message = JSON.parse(line) as { ready?: boolean; port?: number };
  return message.ready === true ? message.port : undefined;
}
