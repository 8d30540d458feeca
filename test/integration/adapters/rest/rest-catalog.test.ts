// The REST catalog adapter against Apache Iceberg's own REST catalog server (test/env/rest-catalog.ts),
// with tables on moto's S3 and on the local disk.
import { CreateBucketCommand, S3Client } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createS3ObjectStore } from "../../../../lib/adapters/aws/s3-object-store.js";
import { createFolderObjectStore } from "../../../../lib/adapters/local/folder-object-store.js";
import { noAuthentication } from "../../../../lib/adapters/rest/request-authenticator.js";
import { createRestCatalog } from "../../../../lib/adapters/rest/rest-catalog.js";
import { tableLocationFor } from "../../../../lib/catalog/table-location.js";
import { CommitStateUnknownError, commitLanded } from "../../../../lib/catalog/commit-outcome.js";
import type { LoadedTable } from "../../../../lib/catalog/catalog.js";
import { appendCommit, catalogContract, propertyCommit, sampleTableMetadata, uniqueNamespace, uuidMetadataFileNaming } from "../../../contracts/catalog-contract.js";
import { awsTestClientConfig } from "../../../env/aws.js";
import { restCatalogBucket } from "../../../env/rest-catalog.js";
import { testEnvironment } from "../../../env/test-environment.js";
import { uniqueName } from "../../../env/unique-name.js";
import { closedPortEndpoint } from "../aws/closed-port.js";
import { temporaryFolder } from "../local/temp-folder.js";
import { startCatalogProxy, type AnswerFault } from "./catalog-proxy.js";

const environment = testEnvironment();
const s3 = new S3Client(awsTestClientConfig(environment.awsEndpoint));
const bucket = uniqueName("rest-catalog");
const catalog = createRestCatalog({ uri: environment.restCatalogUrl, warehouse: undefined, authenticator: noAuthentication });

beforeAll(async () => {
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
});
afterAll(() => {
  s3.destroy();
});

catalogContract("REST catalog on S3", () =>
  Promise.resolve({
    catalog,
    objectStore: createS3ObjectStore({ client: s3 }),
    tableLocation: (identifier) => `s3://${bucket}/${identifier.namespace}/${identifier.name}`,
    metadataFileNaming: uuidMetadataFileNaming,
    buildsFirstMetadata: true,
  }),
);

catalogContract("REST catalog on a local folder", () => {
  const warehouse = temporaryFolder("rest-catalog");
  return Promise.resolve({
    catalog,
    objectStore: createFolderObjectStore(),
    tableLocation: (identifier) => tableLocationFor(warehouse, identifier),
    metadataFileNaming: uuidMetadataFileNaming,
    buildsFirstMetadata: true,
  });
});

describe("REST catalog specifics", () => {
  it("lets the catalog choose the location of a table created without one", async () => {
    const identifier = { namespace: uniqueNamespace("rest"), name: "located_by_catalog" };
    const created = await catalog.createTable(identifier, sampleTableMetadata(""));
    expect(created.metadata.location).toBe(`s3://${restCatalogBucket}/${identifier.namespace}/${identifier.name}`);
    expect((await catalog.loadTable(identifier))?.metadataLocation).toBe(created.metadataLocation);
  });
});

async function createdTable(): Promise<LoadedTable> {
  const identifier = { namespace: uniqueNamespace("rest_failures"), name: "orders" };
  return catalog.createTable(identifier, sampleTableMetadata(`s3://${bucket}/${identifier.namespace}/${identifier.name}`));
}

describe("REST catalog failures", () => {
  it.each<[string, AnswerFault]>([
    ["a connection cut after the server answered", "cut"],
    ["a gateway's 504 after the server answered", "gateway-timeout"],
    ["a timeout while the server's answer is withheld", "hold"],
  ])("reports %s as COMMIT_STATE_UNKNOWN; reloading finds the commit by its snapshot", async (_, fault) => {
    const base = await createdTable();
    const proxy = await startCatalogProxy(environment.restCatalogUrl, (method, path) => (method === "POST" && path.endsWith("/tables/orders") ? fault : undefined));
    try {
      const faulty = createRestCatalog({ uri: proxy.url, warehouse: undefined, authenticator: noAuthentication, timeoutMs: 3_000 });
      const commit = appendCommit(base, "commit", "1");
      const failure = await faulty.commitTable(base, commit).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(CommitStateUnknownError);
      expect(failure).toMatchObject({ code: "COMMIT_STATE_UNKNOWN", retryable: true, attemptedMetadataLocation: undefined });
      expect(proxy.faulted).toHaveLength(1);
      expect(commitLanded(await catalog.loadTable(base.identifier), failure as CommitStateUnknownError, commit)).toBe(true);
    } finally {
      await proxy.close();
    }
  });

  it("reports a commit to a table that is gone as NOT_FOUND", async () => {
    const base = await createdTable();
    const gone = { ...base, identifier: { namespace: base.identifier.namespace, name: "never_created" } };
    await expect(catalog.commitTable(gone, propertyCommit(gone, "commit", "1"))).rejects.toMatchObject({ code: "NOT_FOUND", retryable: false });
  });

  it("reports an update the server refuses as a non-retryable error with the server's type and message", async () => {
    const base = await createdTable();
    const refused = catalog.commitTable(base, { updates: [{ action: "set-current-schema", "schema-id": 42 }], requirements: [], nowMs: Date.now() });
    await expect(refused).rejects.toMatchObject({ retryable: false, message: expect.stringMatching(/REST catalog commit to .*: the catalog refused the request \(HTTP 400 \w+Exception: .+\)/) as unknown });
  });

  it("reports an unreachable catalog as retryable STORAGE_UNAVAILABLE, a commit included", async () => {
    const base = await createdTable();
    const offline = createRestCatalog({ uri: await closedPortEndpoint(), warehouse: undefined, authenticator: noAuthentication });
    await expect(offline.loadTable(base.identifier)).rejects.toMatchObject({ code: "STORAGE_UNAVAILABLE", retryable: true, message: expect.stringContaining("GET /v1/config") as unknown });
    await expect(offline.commitTable(base, propertyCommit(base, "commit", "1"))).rejects.toMatchObject({ code: "STORAGE_UNAVAILABLE", retryable: true });
  });

  it("refuses names S3 Tables cannot hold before asking the catalog", async () => {
    const s3Tables = createRestCatalog({ uri: environment.restCatalogUrl, warehouse: "arn:aws:s3tables:us-east-1:123456789012:bucket/lake", authenticator: noAuthentication });
    await expect(s3Tables.loadTable({ namespace: "Sales", name: "orders" })).rejects.toMatchObject({ code: "CONFIGURATION", message: expect.stringContaining("S3 Tables takes only lower case letters") as unknown });
  });
});
