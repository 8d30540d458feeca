// moto in server mode (S3, Glue, DynamoDB) through our launcher, which adds Glue's
// VersionId check on UpdateTable. It binds port 0 itself and reports the port it got.
import { startPythonServer, type RunningPythonServer } from "./python-server.js";
import { motoLauncher } from "./python.js";

export type RunningMoto = RunningPythonServer;

export function startMoto(options: { workDir: string }): Promise<RunningMoto> {
  return startPythonServer({ name: "moto", script: motoLauncher, args: ["--host", "127.0.0.1", "--port", "0"], workDir: options.workDir });
}
