// The Python side of the test environment: one virtualenv with moto (server mode) and
// pyiceberg + pyarrow, installed from the pinned lock in test/env/python/requirements.txt.
import { join } from "node:path";
import { rmSync } from "node:fs";
import { ensureInstalled, projectRoot, runCommand, testEnvDir, type InstallStep } from "./install.js";

const pythonDir = join(projectRoot, "test", "env", "python");
const requirementsFile = join(pythonDir, "requirements.txt");
const venvDir = join(testEnvDir, "venv");

export const pythonBin = join(venvDir, "bin", "python");
export const motoLauncher = join(pythonDir, "moto_server.py");
export const icebergTool = join(pythonDir, "iceberg_tool.py");

export const pythonInstallStep: InstallStep = {
  name: "python",
  inputs: [requirementsFile],
  async install() {
    rmSync(venvDir, { recursive: true, force: true });
    await runCommand(process.env["PYTHON"] ?? "python3", ["-m", "venv", venvDir]);
    await runCommand(pythonBin, ["-m", "pip", "install", "--quiet", "--requirement", requirementsFile]);
  },
};

export function ensurePythonInstalled(): Promise<"installed" | "cached"> {
  return ensureInstalled(pythonInstallStep);
}
