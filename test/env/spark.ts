// Iceberg's Java implementation in the test environment: pyspark (PyPI) in a virtualenv of
// its own, with Iceberg's Spark runtime and AWS bundle jars that Maven resolves from Maven
// Central, run as one Spark session in local mode behind a loopback JSON server
// (test/env/spark/spark_server.py). The same virtualenv holds DuckDB and its iceberg extension.
import { readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { projectRoot, runCommand, testEnvDir, type InstallStep } from "./install.js";
import { startProcess } from "./process.js";

const sparkDir = join(projectRoot, "test", "env", "spark");
const requirementsFile = join(sparkDir, "requirements.txt");
const pomFile = join(sparkDir, "pom.xml");
const serverScript = join(sparkDir, "spark_server.py");
const venvDir = join(testEnvDir, "spark-venv");
const jarsDir = join(testEnvDir, "spark-jars");

export const sparkPythonBin = join(venvDir, "bin", "python");

export const sparkInstallStep: InstallStep = {
  name: "spark",
  inputs: [requirementsFile, pomFile],
  async install() {
    rmSync(venvDir, { recursive: true, force: true });
    rmSync(jarsDir, { recursive: true, force: true });
    await runCommand("mvn", ["-B", "-q", "-ntp", "-f", pomFile, "dependency:copy-dependencies", `-DoutputDirectory=${jarsDir}`, "-DincludeScope=runtime"]);
    await runCommand(process.env["PYTHON"] ?? "python3", ["-m", "venv", venvDir]);
    await runCommand(sparkPythonBin, ["-m", "pip", "install", "--quiet", "--requirement", requirementsFile]);
  },
};

export interface RunningSpark {
  /** Base URL of the JSON server, http://127.0.0.1:PORT */
  url: string;
  stop(): Promise<void>;
}

export async function startSpark(options: { workDir: string }): Promise<RunningSpark> {
  const jars = readdirSync(jarsDir)
    .filter((name) => name.endsWith(".jar"))
    .map((name) => join(jarsDir, name));
  const server = startProcess({
    name: "spark",
    command: sparkPythonBin,
    args: [serverScript, "--host", "127.0.0.1", "--port", "0", "--jars", jars.join(","), "--work-dir", options.workDir],
    logFile: join(options.workDir, "spark.log"),
    cwd: options.workDir,
    env: {
      // Naive timestamps that Spark hands to Python are then UTC.
      TZ: "UTC",
      SPARK_LOCAL_IP: "127.0.0.1",
      // Glue on moto: the AWS SDK inside the Iceberg AWS bundle takes its credentials from here.
      AWS_ACCESS_KEY_ID: "testing",
      AWS_SECRET_ACCESS_KEY: "testing",
      AWS_REGION: "us-east-1",
      PYTHONUNBUFFERED: "1",
    },
  });
  try {
    const port = await server.waitForLine(readyPort, 180_000);
    const url = `http://127.0.0.1:${port}`;
    async function stop(): Promise<void> {
      await reportBusyTime(url);
      await server.stop();
    }
    return { url, stop };
  } catch (error) {
    await server.stop();
    throw error;
  }
}

// What Java added to the run: the suite's time budget is watched on this line.
async function reportBusyTime(url: string): Promise<void> {
  try {
    const response = await fetch(`${url}/stats`);
    const stats = ((await response.json()) as { result?: Record<string, { requests: number; seconds: number }> }).result ?? {};
    const parts = Object.entries(stats).map(([path, { requests, seconds }]) => `${path} ${requests} requests ${seconds} s`);
    if (parts.length > 0) console.log(`test environment: Iceberg-Java (Spark) busy: ${parts.join(", ")}`);
  } catch {
    // A server that is already gone has nothing to report.
  }
}

function readyPort(line: string): number | undefined {
  if (!line.startsWith("{")) return undefined;
  const message = JSON.parse(line) as { ready?: boolean; port?: number };
  return message.ready === true ? message.port : undefined;
}
