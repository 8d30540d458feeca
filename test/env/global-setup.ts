// vitest globalSetup of the integration project: installs the test environment on first
// use, starts moto, Kafka, the schema registry, Spark (Iceberg-Java) and Iceberg's REST catalog server
// in parallel on loopback ports of their own (so a second copy of the suite can run beside this
// one), and stops them at the end.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { ensureInstalled, type InstallStep } from "./install.js";
import { kafkaInstallStep, startKafka } from "./kafka.js";
import { startMoto } from "./moto.js";
import { pythonInstallStep } from "./python.js";
import { schemaRegistryInstallStep, startSchemaRegistry } from "./schema-registry.js";
import { restCatalogInstallStep, startRestCatalog } from "./rest-catalog.js";
import { sparkInstallStep, startSpark } from "./spark.js";
import type { TestEnvironment } from "./test-environment.js";

interface Stoppable {
  stop(): Promise<void>;
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // Maven 3.8 does not lock its local repository, so the Maven builds run one after the
  // other, beside the Python installation.
  await Promise.all([installInOrder([pythonInstallStep]), installInOrder([kafkaInstallStep, schemaRegistryInstallStep, sparkInstallStep, restCatalogInstallStep])]);

  const workDir = mkdtempSync(join(tmpdir(), "kafka-iceberg-export-test-env-"));
  const started: Stoppable[] = [];
  async function teardown(): Promise<void> {
    await Promise.allSettled(started.map((service) => service.stop()));
    rmSync(workDir, { recursive: true, force: true });
  }

  try {
    const kafkaDir = join(workDir, "kafka");
    const [moto, kafka, registry, spark] = await Promise.all([
      track(startMoto({ workDir })),
      track(startKafka({ dataDir: kafkaDir })),
      track(startSchemaRegistry({ workDir })),
      track(startSpark({ workDir })),
    ]);
    // S3 (moto) must be up first: the catalog writes its tables' metadata there.
    const restCatalog = await track(startRestCatalog({ workDir, awsEndpoint: moto.endpoint }));
    const environment: TestEnvironment = {
      awsEndpoint: moto.endpoint,
      kafkaBootstrap: kafka.bootstrap,
      schemaRegistryUrl: registry.url,
      sparkUrl: spark.url,
      restCatalogUrl: restCatalog.url,
    };
    project.provide("testEnvironment", environment);
    return teardown;
  } catch (error) {
    await teardown();
    throw error;
  }

  async function track<T extends Stoppable>(starting: Promise<T>): Promise<T> {
    const service = await starting;
    started.push(service);
    return service;
  }
}

async function installInOrder(steps: InstallStep[]): Promise<void> {
  for (const step of steps) {
    const started = Date.now();
    if ((await ensureInstalled(step)) === "installed") {
      console.log(`test environment: installed ${step.name} in ${Math.round((Date.now() - started) / 1000)} s`);
    }
  }
}
