// The REST catalog adapter against Apache Iceberg's own REST catalog server (test/env/rest-catalog.ts),
// with tables on moto's S3 and on the local disk.
import { CreateBucketCommand, S3Client } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createS3ObjectStore } from "../../../../lib/adapters/aws/s3-object-store.js";
import { createFolderObjectStore } from "../../../../lib/adapters/local/folder-object-store.js";
import { noAuthentication } from "../../../../lib/adapters/rest/request-authenticator.js";
import { createRestCatalog } from "../../../../lib/adapters/rest/rest-catalog.js";
import { tableLocationFor } from "../../../../lib/catalog/table-location.js";
import { catalogContract, sampleTableMetadata, uniqueNamespace, uuidMetadataFileNaming } from "../../../contracts/catalog-contract.js";
import { awsTestClientConfig } from "../../../env/aws.js";
import { restCatalogBucket } from "../../../env/rest-catalog.js";
import { testEnvironment } from "../../../env/test-environment.js";
import { uniqueName } from "../../../env/unique-name.js";
import { temporaryFolder } from "../local/temp-folder.js";

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
