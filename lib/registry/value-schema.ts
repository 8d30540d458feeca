// Which message type a topic's values are decoded with: the latest version of the value
// subject, compiled, and the message chosen by name or the first one (SPEC.md §5).
import type protobuf from "protobufjs";
import { ExportError } from "../core/errors.js";
import { compileProtobufSchema } from "../schema/protobuf-compiler.js";
import type { SchemaRegistryClient } from "./registry-client.js";
import { withSchemaContext } from "../schema/schema-mapping-error.js";

export type ValueSchema =
  | { kind: "protobuf"; subject: string; schemaId: number; version: number | undefined; messageName: string; messageType: protobuf.Type }
  /** The topic's values are exported as opaque bytes (no Protobuf schema, or an Avro/JSON one). */
  | { kind: "raw"; subject: string; reason: string };

export interface ValueSchemaOptions {
  subject: string;
  /** The message of the schema that is the value; the first top-level message by default. */
  messageName?: string;
  /**
   * When the subject was configured explicitly, its absence is a configuration error; when
   * it is the default `<topic>-value`, its absence means the topic has no schema.
   */
  subjectIsExplicit?: boolean;
}

export async function latestValueSchema(registry: SchemaRegistryClient, options: ValueSchemaOptions): Promise<ValueSchema> {
  const { subject, messageName, subjectIsExplicit = false } = options;
  let latest;
  try {
    latest = await registry.latestSchema(subject);
  } catch (error) {
    if (error instanceof ExportError && error.code === "SCHEMA_NOT_FOUND" && !subjectIsExplicit) {
      return { kind: "raw", subject, reason: `subject ${subject} is not registered` };
    }
    throw error;
  }
  if (latest.schemaType !== "PROTOBUF") return { kind: "raw", subject, reason: `subject ${subject} holds a ${latest.schemaType} schema` };
  const compiled = withSchemaContext(`subject ${subject} (version ${latest.version ?? "?"}, schema id ${latest.id})`, () => compileProtobufSchema(latest, messageName === undefined ? {} : { messageName }));
  return { kind: "protobuf", subject, schemaId: latest.id, version: latest.version, messageName: compiled.messageName, messageType: compiled.messageType };
}
