// Child processes of the test environment: started in their own process group so that
// stopping one also stops whatever it spawned (a JVM's forks, a Python server's threads),
// with output captured to a log file that is printed when startup fails.
import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream, readFileSync, existsSync } from "node:fs";
import { createServer } from "node:net";
import { projectRoot } from "./install.js";

/**
 * Set in the environment of every server the test environment starts (inherited by whatever
 * it spawns), to the checkout it was started from: the posttest check finds this checkout's
 * leftovers by it, and not the servers of another checkout's run sharing the same TEST_ENV_DIR.
 */
export const checkoutMarkerVariable = "KAFKA_ICEBERG_EXPORT_TEST_CHECKOUT";

export interface ServiceProcess {
  readonly name: string;
  readonly pid: number;
  readonly logFile: string;
  /** Resolves with the first stdout line that `matcher` accepts. */
  waitForLine<T>(matcher: (line: string) => T | undefined, timeoutMs: number): Promise<T>;
  stop(): Promise<void>;
}

export interface StartProcessOptions {
  name: string;
  command: string;
  args: string[];
  logFile: string;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
}

export function startProcess(options: StartProcessOptions): ServiceProcess {
  const log = createWriteStream(options.logFile, { flags: "a" });
  const child = spawn(options.command, options.args, {
    cwd: options.cwd,
    env: { ...process.env, ...options.env, [checkoutMarkerVariable]: projectRoot },
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  if (child.pid === undefined) {
    log.end();
    throw new Error(`${options.name}: could not start ${options.command} (is the test environment installed?)`);
  }
  const pid = child.pid;
  registerForCleanup(pid);

  const lineListeners = new Set<(line: string) => void>();
  let pending = "";
  child.stdout.on("data", (chunk: Buffer) => {
    log.write(chunk);
    pending += chunk.toString("utf8");
    const lines = pending.split("\n");
    pending = lines.pop() ?? "";
    for (const line of lines) for (const listener of lineListeners) listener(line);
  });
  child.stderr.on("data", (chunk: Buffer) => log.write(chunk));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));

  function waitForLine<T>(matcher: (line: string) => T | undefined, timeoutMs: number): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => finish(new Error(`${options.name}: not ready after ${timeoutMs} ms`)), timeoutMs);
      function onLine(line: string): void {
        const value = matcher(line);
        if (value !== undefined) finish(undefined, value);
      }
      function finish(error?: Error, value?: T): void {
        clearTimeout(timer);
        lineListeners.delete(onLine);
        if (error) reject(withLogTail(error, options.logFile));
        else resolve(value as T);
      }
      lineListeners.add(onLine);
      void exited.then((code) => finish(new Error(`${options.name}: exited with code ${code} before it was ready`)));
    });
  }

  async function stop(): Promise<void> {
    await stopProcessGroup(child, exited);
    unregisterForCleanup(pid);
    log.end();
  }

  return { name: options.name, pid, logFile: options.logFile, waitForLine, stop };
}

async function stopProcessGroup(child: ChildProcess, exited: Promise<unknown>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  signalGroup(child.pid, "SIGTERM");
  let timer: NodeJS.Timeout | undefined;
  const gracePeriodOver = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), 10_000)));
  const stoppedInTime = await Promise.race([exited.then(() => true), gracePeriodOver]);
  clearTimeout(timer);
  if (!stoppedInTime) {
    signalGroup(child.pid, "SIGKILL");
    await exited;
  }
}

function signalGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}

// If the test runner itself dies (an uncaught error, Ctrl-C), the environment's process
// groups must not outlive it.
const liveGroups = new Set<number>();
function registerForCleanup(pid: number): void {
  if (liveGroups.size === 0) {
    process.once("exit", killAllGroups);
    for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.once(signal, onSignal);
  }
  liveGroups.add(pid);
}
function unregisterForCleanup(pid: number): void {
  liveGroups.delete(pid);
}
function killAllGroups(): void {
  for (const pid of liveGroups) signalGroup(pid, "SIGKILL");
  liveGroups.clear();
}
function onSignal(signal: NodeJS.Signals): void {
  killAllGroups();
  process.kill(process.pid, signal);
}

function withLogTail(error: Error, logFile: string): Error {
  if (!existsSync(logFile)) return error;
  const tail = readFileSync(logFile, "utf8").split("\n").slice(-40).join("\n");
  error.message += `\n--- last lines of ${logFile} ---\n${tail}`;
  return error;
}

/** A loopback port free at the time of the call, for servers that cannot bind port 0 themselves. */
export function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => {
        if (address && typeof address === "object") resolve(address.port);
        else reject(new Error("no port assigned"));
      });
    });
  });
}

/** The JVM that runs the Kafka broker and the registry: JAVA_HOME's when set, else the one on PATH. */
export function javaBin(): string {
  const javaHome = process.env["JAVA_HOME"];
  return javaHome ? `${javaHome}/bin/java` : "java";
}
