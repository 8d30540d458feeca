// What a user sees on the terminal when things go wrong around the command rather than in it:
// an unreachable broker is one clear line (kafkajs's retry log only with --verbose), and a
// reader that closes the pipe early (`status | head -1`) ends the command cleanly.
import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { closedPortEndpoint } from "../adapters/aws/closed-port.js";
import { cliBin, projectRoot, runCli } from "./cli-process.js";

function lines(text: string): string[] {
  return text.split("\n").filter((line) => line !== "");
}

describe("the CLI's output", () => {
  it("reports an unreachable broker in one line naming the topic and the brokers; --verbose adds kafkajs's own log", async () => {
    const warehouse = join(mkdtempSync(join(tmpdir(), "cli-output-")), "warehouse");
    const brokers = new URL(await closedPortEndpoint()).host;
    const enable = await runCli(["enable", "--topic", "orders", "--warehouse", warehouse, "--brokers", brokers]);
    expect(enable.code).toBe(1);
    expect(lines(enable.stderr)).toEqual([`error: could not describe topic orders on brokers ${brokers}: Connection error: connect ECONNREFUSED ${brokers} [KAFKA_UNAVAILABLE, retryable]`]);

    const verbose = await runCli(["enable", "--topic", "orders", "--warehouse", warehouse, "--brokers", brokers, "--verbose"]);
    expect(verbose.code).toBe(1);
    expect(lines(verbose.stderr).filter((line) => line.startsWith("info: kafka: ")).length).toBeGreaterThan(1);
    expect(lines(verbose.stderr).at(-1)).toBe(lines(enable.stderr)[0]);
  });

  it("run: an unreachable broker stops it with one line naming the group and the brokers", async () => {
    const warehouse = join(mkdtempSync(join(tmpdir(), "cli-output-")), "warehouse");
    const brokers = new URL(await closedPortEndpoint()).host;
    const run = await runCli(["run", "--topics", "orders", "--group-id", "g", "--warehouse", warehouse, "--brokers", brokers]);
    expect(run.code).toBe(1);
    expect(lines(run.stderr)).toEqual([`error: could not join consumer group g on brokers ${brokers}: Connection error: connect ECONNREFUSED ${brokers} [KAFKA_UNAVAILABLE, retryable]`]);
  });

  it("ends cleanly, exit code 0 and nothing on stderr, when its output pipe is closed before it writes", async () => {
    const warehouse = join(mkdtempSync(join(tmpdir(), "cli-output-")), "warehouse");
    const child = spawn(process.execPath, [cliBin, "status", "--warehouse", warehouse], { cwd: projectRoot, stdio: ["ignore", "pipe", "pipe"] });
    // Closed at once, long before the CLI has loaded: its first line meets a closed pipe (EPIPE).
    child.stdout.destroy();
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const exit = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on("close", (code, signal) => resolve({ code, signal })));
    expect(stderr).toBe("");
    expect(exit).toEqual({ code: 0, signal: null });
  });
});
