import { describe, expect, it } from "vitest";
import { ExportError } from "../../../lib/core/errors.js";
import { withRetry } from "../../../lib/core/retry.js";
import { createSchemaRegistryClient, type SchemaRegistryClientOptions } from "../../../lib/registry/registry-client.js";

const registryUrl = "http://registry.test/apis/ccompat/v7";

type CannedAnswer = { status: number; body: unknown } | (() => Promise<Response>);

/** A registry that answers from a table of paths, and records what it was asked. */
function cannedRegistry(answers: Record<string, CannedAnswer | CannedAnswer[]>) {
  const requests: { path: string; headers: Headers }[] = [];
  function fakeFetch(input: string | URL | Request, init?: RequestInit): Promise<Response> {
    const url = input instanceof Request ? input.url : input.toString();
    const path = url.slice(registryUrl.length);
    requests.push({ path, headers: new Headers(init?.headers) });
    const planned = answers[path];
    const answer = Array.isArray(planned) ? planned.shift() : planned;
    if (answer === undefined) return Promise.resolve(jsonResponse(404, { error_code: 40401, message: `no canned answer for ${path}` }));
    if (typeof answer === "function") return answer();
    return Promise.resolve(jsonResponse(answer.status, answer.body));
  }
  return { fetch: fakeFetch, requests, paths: () => requests.map((request) => request.path) };
}

function jsonResponse(status: number, body: unknown): Response {
  return new Response(typeof body === "string" ? body : JSON.stringify(body), { status, headers: { "content-type": "application/vnd.schemaregistry.v1+json" } });
}

function client(registry: { fetch: typeof fetch }, options: Partial<SchemaRegistryClientOptions> = {}) {
  return createSchemaRegistryClient({ url: registryUrl, fetch: registry.fetch, ...options });
}

function ok(body: unknown): CannedAnswer {
  return { status: 200, body };
}

function version(subject: string, versionNumber: number, id: number, schema: string, references: unknown[] = []): CannedAnswer {
  return ok({ subject, version: versionNumber, id, schemaType: "PROTOBUF", schema, references });
}

async function failure(promise: Promise<unknown>): Promise<ExportError> {
  const error: unknown = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (!(error instanceof ExportError)) throw new Error(`expected an ExportError, got ${String(error)}`);
  return error;
}

// invoice imports customer and address; customer imports address: a chain and a diamond.
const invoiceReferences = [
  { name: "customer.proto", subject: "customer", version: 2 },
  { name: "address.proto", subject: "address", version: 1 },
];
const chainAnswers = {
  "/subjects/customer/versions/2": version("customer", 2, 11, "// customer", [{ name: "address.proto", subject: "address", version: 1 }]),
  "/subjects/address/versions/1": version("address", 1, 10, "// address"),
};

describe("createSchemaRegistryClient", () => {
  it("resolves a schema by id with every file its references reach, each fetched once", async () => {
    const registry = cannedRegistry({ "/schemas/ids/12": ok({ schemaType: "PROTOBUF", schema: "// invoice", references: invoiceReferences }), ...chainAnswers });

    const resolved = await client(registry).schemaById(12);

    expect(resolved).toEqual({
      id: 12,
      schemaType: "PROTOBUF",
      schema: "// invoice",
      references: invoiceReferences,
      files: new Map([
        ["customer.proto", "// customer"],
        ["address.proto", "// address"],
      ]),
    });
    expect(registry.paths()).toEqual(["/schemas/ids/12", "/subjects/customer/versions/2", "/subjects/address/versions/1"]);
    expect(registry.requests[0]?.headers.get("accept")).toBe("application/vnd.schemaregistry.v1+json, application/json");
    expect(registry.requests[0]?.headers.has("authorization")).toBe(false);
  });

  it("resolves a subject's latest version, with the subject URL-encoded", async () => {
    const registry = cannedRegistry({
      "/subjects/shop%2Finvoices%20value/versions/latest": version("shop/invoices value", 3, 12, "// invoice", invoiceReferences),
      ...chainAnswers,
    });

    const resolved = await client(registry).latestSchema("shop/invoices value");

    expect(resolved).toMatchObject({ id: 12, subject: "shop/invoices value", version: 3, schemaType: "PROTOBUF", schema: "// invoice" });
    expect([...resolved.files.keys()]).toEqual(["customer.proto", "address.proto"]);
  });

  it("ends a reference cycle", async () => {
    const registry = cannedRegistry({
      "/schemas/ids/1": ok({ schemaType: "PROTOBUF", schema: "// a", references: [{ name: "b.proto", subject: "b", version: 1 }] }),
      "/subjects/b/versions/1": version("b", 1, 2, "// b", [{ name: "a.proto", subject: "a", version: 1 }]),
      "/subjects/a/versions/1": version("a", 1, 1, "// a", [{ name: "b.proto", subject: "b", version: 1 }]),
    });

    const resolved = await client(registry).schemaById(1);

    expect(resolved.files).toEqual(new Map([["b.proto", "// b"], ["a.proto", "// a"]]));
    expect(registry.paths()).toHaveLength(3);
  });

  it("reads a missing schemaType as Avro and missing references as none", async () => {
    const registry = cannedRegistry({
      "/schemas/ids/3": ok({ schema: '{"type":"string"}' }),
      "/schemas/ids/4": ok({ schemaType: "JSON", schema: "{}", references: [] }),
    });

    expect(await client(registry).schemaById(3)).toEqual({ id: 3, schemaType: "AVRO", schema: '{"type":"string"}', references: [], files: new Map() });
    expect(await client(registry).schemaById(4)).toMatchObject({ schemaType: "JSON", references: [] });
  });

  it("sends basic auth credentials", async () => {
    const registry = cannedRegistry({ "/schemas/ids/1": ok({ schemaType: "PROTOBUF", schema: "// a" }) });
    await client(registry, { basicAuth: { username: "exporter", password: "s3cret:pw" } }).schemaById(1);
    expect(registry.requests[0]?.headers.get("authorization")).toBe(`Basic ${Buffer.from("exporter:s3cret:pw").toString("base64")}`);
  });

  it("tolerates a trailing slash in the registry URL", async () => {
    const registry = cannedRegistry({ "/schemas/ids/1": ok({ schemaType: "PROTOBUF", schema: "// a" }) });
    expect(await client(registry, { url: `${registryUrl}/` }).schemaById(1)).toMatchObject({ id: 1 });
    expect(registry.paths()).toEqual(["/schemas/ids/1"]);
  });

  describe("caching", () => {
    it("keeps schemas by id and referenced versions for good", async () => {
      let clock = 0;
      const registry = cannedRegistry({
        "/schemas/ids/12": ok({ schemaType: "PROTOBUF", schema: "// invoice", references: invoiceReferences }),
        "/schemas/ids/13": ok({ schemaType: "PROTOBUF", schema: "// credit note", references: [{ name: "customer.proto", subject: "customer", version: 2 }] }),
        ...chainAnswers,
      });
      const registryClient = client(registry, { now: () => clock });

      const first = await registryClient.schemaById(12);
      clock += 24 * 3_600_000;
      expect(await registryClient.schemaById(12)).toBe(first);
      await registryClient.schemaById(13);

      expect(registry.paths()).toEqual(["/schemas/ids/12", "/subjects/customer/versions/2", "/subjects/address/versions/1", "/schemas/ids/13"]);
    });

    it("keeps a subject's latest version for the refresh interval", async () => {
      let clock = 1_000;
      const registry = cannedRegistry({ "/subjects/orders-value/versions/latest": [version("orders-value", 1, 5, "// v1"), version("orders-value", 2, 6, "// v2")] });
      const registryClient = client(registry, { refreshIntervalMs: 60_000, now: () => clock });

      expect(await registryClient.latestSchema("orders-value")).toMatchObject({ version: 1 });
      clock += 59_999;
      expect(await registryClient.latestSchema("orders-value")).toMatchObject({ version: 1 });
      clock += 1;
      expect(await registryClient.latestSchema("orders-value")).toMatchObject({ version: 2, id: 6, schema: "// v2" });
      expect(registry.paths()).toHaveLength(2);
    });

    it("shares one request between concurrent callers", async () => {
      const registry = cannedRegistry({ "/schemas/ids/12": ok({ schemaType: "PROTOBUF", schema: "// invoice", references: invoiceReferences }), ...chainAnswers });
      const registryClient = client(registry);

      const [a, b] = await Promise.all([registryClient.schemaById(12), registryClient.schemaById(12)]);

      expect(a).toBe(b);
      expect(registry.paths()).toHaveLength(3);
    });

    it("forgets a failure, so that a retry asks again", async () => {
      const registry = cannedRegistry({ "/schemas/ids/1": [{ status: 503, body: "" }, { status: 429, body: "" }, ok({ schemaType: "PROTOBUF", schema: "// a" })] });
      const registryClient = client(registry);
      const retried: unknown[] = [];

      const resolved = await withRetry(() => registryClient.schemaById(1), { sleep: () => Promise.resolve(), onRetry: (error) => retried.push(error) });

      expect(resolved.schema).toBe("// a");
      expect(retried).toEqual([expect.objectContaining({ code: "REGISTRY_UNAVAILABLE" }), expect.objectContaining({ code: "REGISTRY_UNAVAILABLE" })]);
      expect(registry.paths()).toHaveLength(3);
    });
  });

  describe("failures", () => {
    it("reports an unknown id as SCHEMA_NOT_FOUND, not retryable, with the registry's error code", async () => {
      const registry = cannedRegistry({ "/schemas/ids/99": { status: 404, body: { error_code: 40403, message: "Schema 99 not found" } } });
      const error = await failure(client(registry).schemaById(99));
      expect(error).toMatchObject({ code: "SCHEMA_NOT_FOUND", retryable: false });
      expect(error.message).toBe("schema id 99 not found: schema registry answered GET /schemas/ids/99 with HTTP 404 (error_code 40403: Schema 99 not found)");
    });

    it.each([40401, 40402])("reports an unknown subject answered with error code %i as SCHEMA_NOT_FOUND", async (errorCode) => {
      const registry = cannedRegistry({ "/subjects/ghost-value/versions/latest": { status: 404, body: { error_code: errorCode, message: "No artifact" } } });
      const error = await failure(client(registry).latestSchema("ghost-value"));
      expect(error).toMatchObject({ code: "SCHEMA_NOT_FOUND", retryable: false });
      expect(error.message).toContain('the latest version of subject "ghost-value" not found');
    });

    it("reports a missing referenced version as SCHEMA_NOT_FOUND naming it", async () => {
      const registry = cannedRegistry({ "/schemas/ids/12": ok({ schemaType: "PROTOBUF", schema: "// invoice", references: invoiceReferences }) });
      const error = await failure(client(registry).schemaById(12));
      expect(error).toMatchObject({ code: "SCHEMA_NOT_FOUND", retryable: false });
      expect(error.message).toContain('version 2 of subject "customer" not found');
    });

    it.each([500, 502, 503, 429])("reports HTTP %i as REGISTRY_UNAVAILABLE, retryable, naming the path", async (status) => {
      const registry = cannedRegistry({ "/subjects/orders-value/versions/latest": { status, body: { error_code: 50001, message: "store down" } } });
      const error = await failure(client(registry).latestSchema("orders-value"));
      expect(error).toMatchObject({ code: "REGISTRY_UNAVAILABLE", retryable: true });
      expect(error.message).toContain(`GET /subjects/orders-value/versions/latest with HTTP ${status}`);
    });

    it("reports a network failure as REGISTRY_UNAVAILABLE with its cause", async () => {
      const refused = () => Promise.reject(new TypeError("fetch failed", { cause: new Error("connect ECONNREFUSED 127.0.0.1:8081") }));
      const error = await failure(client(cannedRegistry({ "/schemas/ids/1": refused })).schemaById(1));
      expect(error).toMatchObject({ code: "REGISTRY_UNAVAILABLE", retryable: true });
      expect(error.message).toBe("schema id 1: schema registry request GET /schemas/ids/1 failed: fetch failed (connect ECONNREFUSED 127.0.0.1:8081)");
    });

    it("reports a timeout as REGISTRY_UNAVAILABLE", async () => {
      const hanging = (_input: string | URL | Request, init?: RequestInit) =>
        new Promise<Response>((_resolve, reject) => {
          init?.signal?.addEventListener("abort", () => {
            reject(init.signal?.reason as Error);
          });
        });
      const registryClient = createSchemaRegistryClient({ url: registryUrl, fetch: hanging, timeoutMs: 20 });
      const error = await failure(registryClient.schemaById(1));
      expect(error).toMatchObject({ code: "REGISTRY_UNAVAILABLE", retryable: true, message: "schema id 1: schema registry request GET /schemas/ids/1 timed out after 20 ms" });
    });

    it.each([401, 403])("reports HTTP %i as a CONFIGURATION error about the credentials, never showing the password", async (status) => {
      const registry = cannedRegistry({ "/schemas/ids/1": { status, body: { error_code: status, message: "Unauthorized" } } });
      const error = await failure(client(registry, { basicAuth: { username: "exporter", password: "s3cret-pw" } }).schemaById(1));
      expect(error).toMatchObject({ code: "CONFIGURATION", retryable: false });
      expect(error.message).toContain('the credentials of user "exporter" were rejected');
      expect(error.message).not.toContain("s3cret-pw");
      const anonymous = await failure(client(cannedRegistry({ "/schemas/ids/1": { status, body: "" } })).schemaById(1));
      expect(anonymous.message).toContain("no credentials were given");
    });

    it.each([
      ["a body that is not JSON", "<html>Registry UI</html>", "with a body that is not JSON"],
      ["a JSON body that is not an object", [1, 2], "malformed body: not a JSON object"],
      ["no schema", { schemaType: "PROTOBUF" }, 'malformed body: no "schema" string'],
      ["an unknown schemaType", { schemaType: "XML", schema: "<a/>" }, 'malformed body: unknown schemaType "XML"'],
      ["references that are not a list", { schema: "x", references: "common.proto" }, '"references" is not a list'],
      ["a reference without a version", { schema: "x", references: [{ name: "a.proto", subject: "a" }] }, "lacks a name, subject or version"],
    ])("refuses %s, naming the endpoint, without retrying", async (_case, body, expected) => {
      const error = await failure(client(cannedRegistry({ "/schemas/ids/1": ok(body) })).schemaById(1));
      expect(error).toMatchObject({ retryable: false });
      expect(error.message).toContain("GET /schemas/ids/1");
      expect(error.message).toContain(expected);
    });

    it("refuses a subject version without id or version", async () => {
      const registry = cannedRegistry({ "/subjects/a/versions/latest": ok({ subject: "a", schemaType: "PROTOBUF", schema: "x" }) });
      const error = await failure(client(registry).latestSchema("a"));
      expect(error.retryable).toBe(false);
      expect(error.message).toContain("no id, subject and version");
    });

    it.each([
      ["HTTP 503", { status: 503, body: { error_code: 50001, message: "store down" } }, "REGISTRY_UNAVAILABLE"],
      ["HTTP 400", { status: 400, body: "bad request" }, "CONFIGURATION"],
      ["a malformed body", ok({ subject: "orders-value", schema: "x" }), "CONFIGURATION"],
      ["a body that is not JSON", ok("<html/>"), "CONFIGURATION"],
      ["a network failure", () => Promise.reject(new TypeError("fetch failed")), "REGISTRY_UNAVAILABLE"],
    ] as [string, CannedAnswer, string][])("names the subject in every error of its latest version: %s", async (_case, answer, code) => {
      const error = await failure(client(cannedRegistry({ "/subjects/orders-value/versions/latest": answer })).latestSchema("orders-value"));
      expect(error.code).toBe(code);
      expect(error.message).toMatch(/^the latest version of subject "orders-value"/);
    });

    it("names the subject whose reference failed, and the referenced subject", async () => {
      const registry = cannedRegistry({
        "/subjects/invoice-value/versions/latest": version("invoice-value", 4, 12, "// invoice", invoiceReferences),
        "/subjects/customer/versions/2": { status: 503, body: { error_code: 50001, message: "store down" } },
        "/subjects/address/versions/1": version("address", 1, 10, "// address"),
      });
      const error = await failure(client(registry).latestSchema("invoice-value"));
      expect(error).toMatchObject({ code: "REGISTRY_UNAVAILABLE", retryable: true });
      expect(error.message).toMatch(/^the references of version 4 of subject "invoice-value": version 2 of subject "customer": /);
    });

    it("refuses another client error without retrying", async () => {
      const error = await failure(client(cannedRegistry({ "/schemas/ids/1": { status: 400, body: "bad request" } })).schemaById(1));
      expect(error).toMatchObject({ code: "CONFIGURATION", retryable: false });
      expect(error.message).toContain("HTTP 400");
    });
  });
});
