// The servers the commit benchmark needs, started the way the integration tests start them:
// moto (S3, Glue, DynamoDB) on a loopback port of its own, installed on first use. The
// schema registry is not needed: the benchmark stores the schema state itself.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startMoto } from "../test/env/moto.js";
import { ensurePythonInstalled } from "../test/env/python.js";

export interface BenchServers {
  awsEndpoint: string;
  stop(): Promise<void>;
}

export async function startBenchServers(): Promise<BenchServers> {
  if ((await ensurePythonInstalled()) === "installed") console.error("installed the Python test environment (moto)");
  const workDir = mkdtempSync(join(tmpdir(), "commit-bench-"));
  try {
    const moto = await startMoto({ workDir });
    return {
      awsEndpoint: moto.endpoint,
      async stop() {
        await moto.stop();
        rmSync(workDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    rmSync(workDir, { recursive: true, force: true });
    throw error;
  }
}
