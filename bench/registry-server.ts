// The static schema registry (lib/registry/static-registry.ts) served over HTTP with the
// Confluent REST paths the registry client asks (GET /subjects/<s>/versions/latest and
// /schemas/ids/<id>), so that the bundled ingest handler finds its schema through
// SCHEMA_REGISTRY_URL as in Lambda, with no registry server installed.
import { createServer, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { ExportError } from "../lib/core/errors.js";
import type { ResolvedSchema } from "../lib/registry/registry-client.js";
import { createStaticSchemaRegistry } from "../lib/registry/static-registry.js";

export interface RegistryServer {
  url: string;
  close(): Promise<void>;
}

export async function startStaticRegistryServer(subjects: Readonly<Record<string, string>>): Promise<RegistryServer> {
  const registry = createStaticSchemaRegistry(subjects);
  const server: Server = createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? "/", "http://registry").pathname);
    const latest = /^\/subjects\/(.+)\/versions\/latest$/.exec(path);
    const byId = /^\/schemas\/ids\/(\d+)$/.exec(path);
    const found = latest?.[1] !== undefined ? registry.latestSchema(latest[1]) : byId?.[1] !== undefined ? registry.schemaById(Number(byId[1])) : undefined;
    if (found === undefined) {
      answer(response, 404, { error_code: 404, message: `no route ${path}` });
      return;
    }
    found.then(
      (schema) => answer(response, 200, schemaBody(schema)),
      (error: unknown) => answer(response, 404, { error_code: 40401, message: error instanceof ExportError ? error.message : String(error) }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

function schemaBody(schema: ResolvedSchema): Record<string, unknown> {
  return { id: schema.id, subject: schema.subject, version: schema.version, schemaType: schema.schemaType, schema: schema.schema, references: schema.references };
}

function answer(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { "content-type": "application/vnd.schemaregistry.v1+json" });
  response.end(JSON.stringify(body));
}
