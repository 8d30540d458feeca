// A schema registry held in memory: subjects with one registered Protobuf schema each. The
// demo uses it for its bundled schema (no registry server on the embedded default); it
// answers like the HTTP client, including SCHEMA_NOT_FOUND for an unknown subject or id.
import { ExportError } from "../core/errors.js";
import type { ResolvedSchema, SchemaRegistryClient } from "./registry-client.js";

export function createStaticSchemaRegistry(subjects: Readonly<Record<string, string>>): SchemaRegistryClient {
  const registered = Object.entries(subjects).map(
    ([subject, schema], index): ResolvedSchema => ({ id: index + 1, schemaType: "PROTOBUF", schema, subject, version: 1, references: [], files: new Map() }),
  );

  function schemaById(id: number): Promise<ResolvedSchema> {
    const found = registered.find((schema) => schema.id === id);
    return found === undefined ? Promise.reject(new ExportError("SCHEMA_NOT_FOUND", `schema id ${id} is not registered`)) : Promise.resolve(found);
  }

  function latestSchema(subject: string): Promise<ResolvedSchema> {
    const found = registered.find((schema) => schema.subject === subject);
    return found === undefined ? Promise.reject(new ExportError("SCHEMA_NOT_FOUND", `subject ${subject} is not registered`)) : Promise.resolve(found);
  }

  return { schemaById, latestSchema };
}
