import { readFileSync } from "node:fs";
import { createServer } from "node:net";
import { beforeAll, describe, expect, it } from "vitest";
import { ExportError } from "../../../lib/core/errors.js";
import { compileProtobufSchema } from "../../../lib/schema/protobuf-compiler.js";
import { createSchemaRegistryClient, type SchemaReference } from "../../../lib/registry/registry-client.js";
import { decodeConfluentFrame, encodeConfluentFrame } from "../../../lib/registry/wire-format.js";
import { testEnvironment } from "../../env/test-environment.js";
import { uniqueName } from "../../env/unique-name.js";

function fixture(name: string): string {
  return readFileSync(new URL(`../../fixtures/proto/${name}`, import.meta.url), "utf8");
}

async function register(subject: string, schema: string, references: SchemaReference[] = []): Promise<number> {
  const response = await fetch(`${testEnvironment().schemaRegistryUrl}/subjects/${encodeURIComponent(subject)}/versions`, {
    method: "POST",
    headers: { "content-type": "application/vnd.schemaregistry.v1+json" },
    body: JSON.stringify({ schemaType: "PROTOBUF", schema, references }),
  });
  const body = (await response.json()) as { id?: unknown };
  if (!response.ok || typeof body.id !== "number") throw new Error(`registering ${subject} failed: HTTP ${response.status} ${JSON.stringify(body)}`);
  return body.id;
}

async function failure(promise: Promise<unknown>): Promise<ExportError> {
  const error: unknown = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (!(error instanceof ExportError)) throw new Error(`expected an ExportError, got ${String(error)}`);
  return error;
}

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === "string") throw new Error("no port");
  return address.port;
}

describe("the schema registry client against Apicurio", () => {
  const subjects = {
    address: uniqueName("address"),
    customer: uniqueName("customer"),
    common: uniqueName("common"),
    invoice: uniqueName("shop.invoices-value"),
  };
  // invoice → customer → address is a chain of three; invoice → address as well makes a diamond.
  const invoiceReferences = [
    { name: "customer.proto", subject: subjects.customer, version: 1 },
    { name: "address.proto", subject: subjects.address, version: 1 },
    { name: "common.proto", subject: subjects.common, version: 1 },
  ];
  let invoiceId = 0;

  beforeAll(async () => {
    await register(subjects.address, fixture("address.proto"));
    await register(subjects.common, fixture("common.proto"));
    await register(subjects.customer, fixture("customer.proto"), [{ name: "address.proto", subject: subjects.address, version: 1 }]);
    invoiceId = await register(subjects.invoice, fixture("invoice.proto"), invoiceReferences);
  });

  const expectedFiles = new Map([
    ["customer.proto", fixture("customer.proto")],
    ["address.proto", fixture("address.proto")],
    ["common.proto", fixture("common.proto")],
  ]);

  function client(options: { refreshIntervalMs?: number } = {}) {
    return createSchemaRegistryClient({ url: testEnvironment().schemaRegistryUrl, ...options });
  }

  it("resolves a subject's latest schema with its nested references, ready to compile", async () => {
    const latest = await client().latestSchema(subjects.invoice);

    expect(latest).toEqual({
      id: invoiceId,
      subject: subjects.invoice,
      version: 1,
      schemaType: "PROTOBUF",
      schema: fixture("invoice.proto"),
      references: invoiceReferences,
      files: expectedFiles,
    });
    const compiled = compileProtobufSchema(latest);
    expect(compiled.messageName).toBe("shop.billing.Invoice");
    expect(compiled.messageType.fieldsArray.map((field) => field.resolvedType?.fullName ?? field.type)).toEqual([
      "string",
      ".shop.customers.Customer",
      ".shop.customers.Address",
      ".shop.common.Money",
      ".google.protobuf.Timestamp",
    ]);
  });

  it("resolves a schema by id, and decodes a framed value written with it", async () => {
    const byId = await client().schemaById(invoiceId);

    expect(byId).toEqual({ id: invoiceId, schemaType: "PROTOBUF", schema: fixture("invoice.proto"), references: invoiceReferences, files: expectedFiles });
    const { messageType } = compileProtobufSchema(byId);
    const value = { invoice_id: "inv-7", customer: { customer_id: "c-1", billing_address: { city: "Lyon" } } };
    const frame = decodeConfluentFrame(encodeConfluentFrame(invoiceId, [0], messageType.encode(value).finish()));
    if (!frame.ok) throw new Error(frame.reason);
    expect(frame.schemaId).toBe(invoiceId);
    expect(messageType.toObject(messageType.decode(frame.payload))).toEqual(value);
  });

  it("serves a schema without references with no files", async () => {
    expect(await client().latestSchema(subjects.address)).toMatchObject({ version: 1, references: [], files: new Map() });
  });

  it("sees a new version once the refresh interval has passed", async () => {
    const subject = uniqueName("evolving-value");
    await register(subject, fixture("address.proto"));
    const cached = client();
    const refreshing = client({ refreshIntervalMs: 0 });
    expect(await cached.latestSchema(subject)).toMatchObject({ version: 1 });
    expect(await refreshing.latestSchema(subject)).toMatchObject({ version: 1 });

    const evolved = fixture("address.proto").replace("string country_code = 3;", "string country_code = 3;\n  string postal_code = 4;");
    const evolvedId = await register(subject, evolved);

    expect(await cached.latestSchema(subject)).toMatchObject({ version: 1 });
    expect(await refreshing.latestSchema(subject)).toMatchObject({ version: 2, id: evolvedId, schema: evolved });
  });

  it("reports an unknown subject and an unknown id as SCHEMA_NOT_FOUND, not retryable", async () => {
    const missing = uniqueName("missing-value");
    const unknownSubject = await failure(client().latestSchema(missing));
    expect(unknownSubject).toMatchObject({ code: "SCHEMA_NOT_FOUND", retryable: false });
    expect(unknownSubject.message).toContain(`subject "${missing}"`);

    const unknownId = await failure(client().schemaById(987_654_321));
    expect(unknownId).toMatchObject({ code: "SCHEMA_NOT_FOUND", retryable: false });
    expect(unknownId.message).toContain("schema id 987654321");
  });

  it("asks for a subject whose name needs URL encoding", async () => {
    const subject = `${uniqueName("team/orders")} value`;
    const id = await register(subject, fixture("address.proto"));
    expect(await client().latestSchema(subject)).toMatchObject({ id, subject, version: 1 });
  });

  it("reports a registry that does not answer as REGISTRY_UNAVAILABLE, retryable", async () => {
    const port = await closedPort();
    const error = await failure(createSchemaRegistryClient({ url: `http://127.0.0.1:${port}/apis/ccompat/v7` }).schemaById(1));
    expect(error).toMatchObject({ code: "REGISTRY_UNAVAILABLE", retryable: true });
    expect(error.message).toContain("GET /schemas/ids/1");
    expect(error.message).toContain("ECONNREFUSED");
  });
});
