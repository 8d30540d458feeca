// Apache Iceberg's REST catalog server in the test environment: the server behind the
// iceberg-rest-fixture image (org.apache.iceberg.rest.RESTCatalogServer, from iceberg-open-api's
// test fixtures on Maven Central), run with the machine's Java on a loopback port of its own.
// Its backend is Iceberg's JDBC catalog on a SQLite file; its FileIO resolves by scheme, so it
// writes metadata files to moto's S3 for s3:// tables and to the local disk for folder tables.
// Tables created without a location go under s3://<restCatalogBucket>/.
import { readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { CreateBucketCommand, S3Client } from "@aws-sdk/client-s3";
import { awsTestClientConfig } from "./aws.js";
import { projectRoot, runCommand, testEnvDir, type InstallStep } from "./install.js";
import { freeLoopbackPort, javaBin, startProcess } from "./process.js";

const pomFile = join(projectRoot, "test", "env", "rest-catalog", "pom.xml");
const jarsDir = join(testEnvDir, "rest-catalog-jars");

/** The bucket on moto where the REST catalog puts tables created without a location. */
export const restCatalogBucket = "rest-catalog-warehouse";

export const restCatalogInstallStep: InstallStep = {
  name: "rest-catalog",
  inputs: [pomFile],
  async install() {
    rmSync(jarsDir, { recursive: true, force: true });
    await runCommand("mvn", ["-B", "-q", "-ntp", "-f", pomFile, "dependency:copy-dependencies", `-DoutputDirectory=${jarsDir}`, "-DincludeScope=runtime"]);
  },
};

export interface RunningRestCatalog {
  /** http://127.0.0.1:PORT, the catalog URI clients are given. */
  url: string;
  stop(): Promise<void>;
}

export async function startRestCatalog(options: { workDir: string; awsEndpoint: string }): Promise<RunningRestCatalog> {
  const s3 = new S3Client(awsTestClientConfig(options.awsEndpoint));
  try {
    await s3.send(new CreateBucketCommand({ Bucket: restCatalogBucket }));
  } finally {
    s3.destroy();
  }
  const port = await freeLoopbackPort();
  const classpath = readdirSync(jarsDir)
    .filter((name) => name.endsWith(".jar"))
    .map((name) => join(jarsDir, name))
    .join(":");
  const server = startProcess({
    name: "rest-catalog",
    command: javaBin(),
    // The log on stdout, where the start is waited for.
    args: ["-Xmx512m", "-Dorg.slf4j.simpleLogger.logFile=System.out", "-cp", classpath, "org.apache.iceberg.rest.RESTCatalogServer"],
    logFile: join(options.workDir, "rest-catalog.log"),
    cwd: options.workDir,
    // RCKUtils maps CATALOG_<NAME> to the catalog property <name>: `__` to `-`, `_` to `.`.
    env: {
      CATALOG_REST_PORT: String(port),
      CATALOG_CATALOG__IMPL: "org.apache.iceberg.jdbc.JdbcCatalog",
      CATALOG_URI: `jdbc:sqlite:${join(options.workDir, "rest-catalog.db")}`,
      CATALOG_JDBC_SCHEMA__VERSION: "V1",
      CATALOG_WAREHOUSE: `s3://${restCatalogBucket}`,
      CATALOG_IO__IMPL: "org.apache.iceberg.io.ResolvingFileIO",
      CATALOG_S3_ENDPOINT: options.awsEndpoint,
      CATALOG_S3_PATH__STYLE__ACCESS: "true",
      CATALOG_S3_ACCESS__KEY__ID: "testing",
      CATALOG_S3_SECRET__ACCESS__KEY: "testing",
      CATALOG_CLIENT_REGION: "us-east-1",
      AWS_REGION: "us-east-1",
      AWS_ACCESS_KEY_ID: "testing",
      AWS_SECRET_ACCESS_KEY: "testing",
    },
  });
  try {
    await server.waitForLine((line) => (line.includes("Started Server@") ? true : undefined), 120_000);
    return { url: `http://127.0.0.1:${port}`, stop: () => server.stop() };
  } catch (error) {
    await server.stop();
    throw error;
  }
}
