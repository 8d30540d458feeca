// A single-node Kafka broker in KRaft mode (combined broker and controller) for the
// integration tests, run from the jars that the install step resolves from Maven Central.
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { projectRoot, runCommand, testEnvDir, type InstallStep } from "./install.js";
import { freeLoopbackPort, javaBin, startProcess, type ServiceProcess } from "./process.js";

const pomFile = join(projectRoot, "test", "env", "kafka", "pom.xml");
const log4jFile = join(projectRoot, "test", "env", "kafka", "log4j.properties");
const libsDir = join(testEnvDir, "kafka", "libs");
const classArchive = join(testEnvDir, "kafka", "classes.jsa");

const readyTimeoutMs = 60_000;

export const kafkaInstallStep: InstallStep = {
  name: "kafka",
  inputs: [pomFile, log4jFile],
  install: installKafka,
};

export interface RunningKafka {
  /** "127.0.0.1:PORT" */
  bootstrap: string;
  stop(): Promise<void>;
}

interface Ports {
  broker: number;
  controller: number;
}

async function installKafka(): Promise<void> {
  // Start from an empty directory so that jars of a previous pom never share the class path.
  rmSync(libsDir, { recursive: true, force: true });
  rmSync(classArchive, { force: true });
  await runCommand("mvn", [
    "-q",
    "-f",
    pomFile,
    "dependency:copy-dependencies",
    `-DoutputDirectory=${libsDir}`,
    "-DincludeScope=runtime",
  ]);
  await archiveClasses();
}

// Loading and verifying Kafka's classes is about half of a JVM's start on 2 cores. A broker
// run once here records them in a class data sharing archive that later JVMs map instead.
async function archiveClasses(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), "kafka-archive-"));
  try {
    const kafka = await startOnFreshPorts(dataDir, [`-XX:ArchiveClassesAtExit=${classArchive}`]);
    await kafka.stop();
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export async function startKafka(options: { dataDir: string }): Promise<RunningKafka> {
  try {
    return await startOnFreshPorts(options.dataDir);
  } catch (error) {
    // The ports were free when picked but another process may have bound one since.
    if (!failedToBind(options.dataDir)) throw error;
    return await startOnFreshPorts(options.dataDir);
  }
}

async function startOnFreshPorts(dataDir: string, extraJvmOptions: string[] = []): Promise<RunningKafka> {
  const ports = await pickPorts();
  const configFile = await prepareDataDir(dataDir, ports);
  const broker = startBroker(dataDir, configFile, extraJvmOptions);
  try {
    await broker.waitForLine((line) => (line.includes("Kafka Server started") ? true : undefined), readyTimeoutMs);
  } catch (error) {
    await broker.stop();
    throw error;
  }
  return { bootstrap: `127.0.0.1:${ports.broker}`, stop: () => broker.stop() };
}

async function pickPorts(): Promise<Ports> {
  const broker = await freeLoopbackPort();
  let controller = await freeLoopbackPort();
  while (controller === broker) controller = await freeLoopbackPort();
  return { broker, controller };
}

/** Writes the broker's configuration and formats an empty log directory; returns the config file. */
async function prepareDataDir(dataDir: string, ports: Ports): Promise<string> {
  const logDir = join(dataDir, "kafka-logs");
  rmSync(logDir, { recursive: true, force: true });
  mkdirSync(logDir, { recursive: true });
  const configFile = join(dataDir, "server.properties");
  writeFileSync(configFile, serverProperties(logDir, ports));
  await runCommand(javaBin(), [...jvmOptions(), "-cp", classPath(), "kafka.tools.StorageTool", "format", "-t", newClusterId(), "-c", configFile]);
  return configFile;
}

function serverProperties(logDir: string, ports: Ports): string {
  const settings: Record<string, string | number | boolean> = {
    "process.roles": "broker,controller",
    "node.id": 1,
    "controller.quorum.voters": `1@127.0.0.1:${ports.controller}`,
    listeners: `PLAINTEXT://127.0.0.1:${ports.broker},CONTROLLER://127.0.0.1:${ports.controller}`,
    "advertised.listeners": `PLAINTEXT://127.0.0.1:${ports.broker}`,
    "controller.listener.names": "CONTROLLER",
    "inter.broker.listener.name": "PLAINTEXT",
    "listener.security.protocol.map": "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
    "log.dirs": logDir,
    "num.partitions": 1,
    "default.replication.factor": 1,
    "min.insync.replicas": 1,
    "auto.create.topics.enable": false,
    "offsets.topic.replication.factor": 1,
    "transaction.state.log.replication.factor": 1,
    "transaction.state.log.min.isr": 1,
    "group.initial.rebalance.delay.ms": 0,
    // The tests produce records with fixed event timestamps (2026-11-24, for deterministic day
    // partitions). Time-based retention (7 days by default) measures a segment's age by its
    // largest record timestamp, so once those dates were a week old the broker's retention
    // check (30 s after start, then every 5 minutes) deleted a test's records under its
    // consumers: log start = log end, "Offset out of range", nothing to stage. Whether a
    // test's records lived through a check depended on when vitest scheduled its file
    // (slowest first, from the results of the previous run). A test broker keeps everything.
    "log.retention.ms": -1,
    // The internal topics default to 50 partitions each, which a test broker creates
    // slowly on its first consumer group or transaction for no benefit.
    "offsets.topic.num.partitions": 1,
    "transaction.state.log.num.partitions": 1,
    // Fewer threads and a small cleaner buffer: the broker shares 2 cores with the tests
    // and the default cleaner buffer alone is 128 MiB of heap.
    "num.network.threads": 2,
    "num.io.threads": 2,
    "num.recovery.threads.per.data.dir": 1,
    "background.threads": 2,
    "log.cleaner.threads": 1,
    "log.cleaner.dedupe.buffer.size": 8 * 1024 * 1024,
  };
  return Object.entries(settings)
    .map(([key, value]) => `${key}=${String(value)}`)
    .join("\n")
    .concat("\n");
}

function startBroker(dataDir: string, configFile: string, extraJvmOptions: string[]): ServiceProcess {
  return startProcess({
    name: "kafka",
    command: javaBin(),
    args: [...jvmOptions(), ...extraJvmOptions, "-Xms256m", "-Xmx512m", "-cp", classPath(), "kafka.Kafka", configFile],
    logFile: logFileIn(dataDir),
    cwd: dataDir,
  });
}

/**
 * Options for a quick start of a short-lived JVM on a small machine: the C1 compiler alone
 * halves the broker's start on 2 cores, and the tests' traffic is too small to need C2.
 */
function jvmOptions(): string[] {
  const options = [
    "-XX:+UseSerialGC",
    "-XX:TieredStopAtLevel=1",
    "-XX:-UsePerfData",
    "-Djava.awt.headless=true",
    "-Djava.net.preferIPv4Stack=true",
    `-Dlog4j.configuration=${pathToFileURL(log4jFile).href}`,
  ];
  if (existsSync(classArchive)) options.push(`-XX:SharedArchiveFile=${classArchive}`);
  return options;
}

function classPath(): string {
  return join(libsDir, "*");
}

// StorageTool parses its arguments with argparse4j, which would take an id starting with
// "-" for an option; Kafka's own Uuid.randomUuid avoids such ids for the same reason.
function newClusterId(): string {
  for (;;) {
    const id = randomBytes(16).toString("base64url");
    if (!id.startsWith("-")) return id;
  }
}

function failedToBind(dataDir: string): boolean {
  const logFile = logFileIn(dataDir);
  return existsSync(logFile) && readFileSync(logFile, "utf8").includes("Address already in use");
}

function logFileIn(dataDir: string): string {
  return join(dataDir, "kafka.log");
}
