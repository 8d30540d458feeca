// moto in server mode (S3, Glue, DynamoDB) through our launcher, which adds Glue's
// VersionId check on UpdateTable. It binds port 0 itself and reports the port it got.
import { join } from "node:path";
import { startProcess } from "./process.js";
import { motoLauncher, pythonBin } from "./python.js";

export interface RunningMoto {
  endpoint: string;
  stop(): Promise<void>;
}

export async function startMoto(options: { workDir: string }): Promise<RunningMoto> {
  const server = startProcess({
    name: "moto",
    command: pythonBin,
    args: [motoLauncher, "--host", "127.0.0.1", "--port", "0"],
    logFile: join(options.workDir, "moto.log"),
    cwd: options.workDir,
  });
  try {
    const port = await server.waitForLine(readyPort, 30_000);
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
