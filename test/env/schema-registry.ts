// Apicurio Registry, a real schema registry with a Confluent-compatible API
// (/apis/ccompat/v7), built from its Maven Central artifacts by test/env/apicurio/pom.xml
// and run with in-memory storage on a loopback port of its own.
import { join } from "node:path";
import { rmSync } from "node:fs";
import { projectRoot, runCommand, testEnvDir, type InstallStep } from "./install.js";
import { javaBin, startProcess } from "./process.js";

const apicurioDir = join(projectRoot, "test", "env", "apicurio");
const pomFile = join(apicurioDir, "pom.xml");
const settingsFile = join(apicurioDir, "settings.xml");
const propertiesFile = join(apicurioDir, "src", "main", "resources", "application.properties");
const buildDir = join(testEnvDir, "apicurio");
const runnerJar = join(buildDir, "apicurio-registry-local-1.0.0-runner.jar");

export const schemaRegistryInstallStep: InstallStep = {
  name: "apicurio",
  inputs: [pomFile, settingsFile, propertiesFile],
  async install() {
    rmSync(buildDir, { recursive: true, force: true });
    await runCommand("mvn", ["-B", "-q", "-ntp", "-s", settingsFile, "-f", pomFile, "package", `-Dapicurio.buildDir=${buildDir}`], {
      env: { JAVA_HOME: process.env["JAVA_HOME"] ?? "/usr/lib/jvm/java-17-openjdk-amd64" },
    });
  },
};

export interface RunningSchemaRegistry {
  /** Base URL of the Confluent-compatible API. */
  url: string;
  stop(): Promise<void>;
}

export async function startSchemaRegistry(options: { workDir: string }): Promise<RunningSchemaRegistry> {
  const registry = startProcess({
    name: "apicurio",
    command: javaBin(),
    args: [
      "-Xmx256m",
      "-XX:+UseSerialGC",
      // C1 only: the registry serves a handful of test requests, so start-up time matters more than peak speed.
      "-XX:TieredStopAtLevel=1",
      "-Dquarkus.http.host=127.0.0.1",
      "-Dquarkus.http.port=0",
      "-jar",
      runnerJar,
    ],
    logFile: join(options.workDir, "apicurio.log"),
    cwd: options.workDir,
  });
  try {
    const port = await registry.waitForLine(listeningPort, 60_000);
    return { url: `http://127.0.0.1:${port}/apis/ccompat/v7`, stop: () => registry.stop() };
  } catch (error) {
    await registry.stop();
    throw error;
  }
}

function listeningPort(line: string): number | undefined {
  const match = /Listening on: http:\/\/127\.0\.0\.1:(\d+)/.exec(line);
  return match?.[1] === undefined ? undefined : Number(match[1]);
}
