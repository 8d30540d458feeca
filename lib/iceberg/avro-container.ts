// Avro object container files in memory, through avsc's block streams: manifests and
// manifest lists are written whole and read whole, a few MB at most.
import { randomBytes } from "node:crypto";
import avro from "avsc";
import { ExportError } from "../core/errors.js";
import { avroTypeOf } from "./avro-long.js";
import type { AvroSchema } from "./avro-schema.js";

export interface AvroContainer {
  /** The file's key-value metadata, the `avro.*` keys included. */
  metadata: Record<string, string>;
  /** The writer's schema, as its header records it. */
  schema: AvroSchema;
  records: unknown[];
}

export interface AvroContainerWrite {
  schema: AvroSchema;
  records: readonly unknown[];
  /** Key-value metadata of the header, besides `avro.schema` and `avro.codec`. */
  metadata: Record<string, string>;
  codec?: "deflate" | "null";
}

export async function writeAvroContainer(write: AvroContainerWrite): Promise<Uint8Array> {
  const { schema, records, metadata, codec = "deflate" } = write;
  const headerMetadata: Record<string, Buffer> = {};
  for (const [key, value] of Object.entries(metadata)) headerMetadata[key] = Buffer.from(value, "utf8");
  // avsc would export the schema without its custom attributes; the header must keep the
  // field ids (spec, Appendix A), so the schema text is given as metadata, which avsc
  // writes in place of its own.
  headerMetadata["avro.schema"] = Buffer.from(JSON.stringify(schema), "utf8");
  // avsc's typings leave out the `metadata` option its BlockEncoder takes.
  const encoderOptions = { codec, metadata: headerMetadata, writeHeader: true, syncMarker: randomBytes(16) } as ConstructorParameters<typeof avro.streams.BlockEncoder>[1];
  const encoder = new avro.streams.BlockEncoder(avroTypeOf(schema), encoderOptions);
  const chunks = collect<Buffer>(encoder);
  for (const record of records) encoder.write(record);
  encoder.end();
  try {
    return new Uint8Array(Buffer.concat(await chunks));
  } catch (error) {
    throw new ExportError("INTERNAL", `a record does not fit the Avro schema ${nameOf(schema)}: ${messageOf(error)}`, { cause: error });
  }
}

export interface AvroContainerRead {
  /** Where the bytes came from, for messages. */
  location: string;
  /**
   * The schema to decode with, from the writer's: the same encoding, other field names
   * (field names do not change an Avro encoding, only the decoded objects' keys).
   */
  readerSchema?: (writerSchema: AvroSchema) => AvroSchema;
}

export async function readAvroContainer(bytes: Uint8Array, read: AvroContainerRead): Promise<AvroContainer> {
  const { location, readerSchema = (writerSchema: AvroSchema) => writerSchema } = read;
  let metadata: Record<string, string> | undefined;
  let schema: AvroSchema | undefined;
  const decoder = new avro.streams.BlockDecoder({
    parseHook: (writerSchema) => {
      schema = writerSchema as AvroSchema;
      return avroTypeOf(readerSchema(schema));
    },
  });
  decoder.on("metadata", (_type: unknown, _codec: unknown, header: { meta: Record<string, Buffer> }) => {
    metadata = Object.fromEntries(Object.entries(header.meta).map(([key, value]) => [key, value.toString("utf8")]));
  });
  const records = collect<unknown>(decoder);
  decoder.end(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  try {
    const read = await records;
    if (metadata === undefined || schema === undefined) throw new Error("no Avro header");
    return { metadata, schema, records: read };
  } catch (error) {
    throw new ExportError("INTERNAL", `${location} is not a readable Avro container file: ${messageOf(error)}`, { cause: error });
  }
}

function collect<T>(stream: NodeJS.ReadableStream): Promise<T[]> {
  return new Promise((resolve, reject) => {
    const items: T[] = [];
    stream.on("data", (item: T) => items.push(item));
    stream.on("error", reject);
    stream.on("end", () => {
      resolve(items);
    });
  });
}

function nameOf(schema: AvroSchema): string {
  const name = typeof schema === "object" && !Array.isArray(schema) ? (schema as { name?: unknown }).name : undefined;
  return typeof name === "string" ? name : JSON.stringify(schema);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
