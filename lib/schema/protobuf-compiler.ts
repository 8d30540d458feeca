// Compiles a Protobuf schema from the registry, with the files of its references, into
// protobufjs reflection types, offline: imports come from `files` by their import name, and
// google/protobuf/*.proto from the definitions protobufjs bundles.
import { createRequire } from "node:module";
import protobuf from "protobufjs";
import { ExportError } from "../core/errors.js";

export interface ProtobufSchemaSource {
  schema: string;
  /** Import name to .proto text, for every file the schema imports, transitively. */
  files: ReadonlyMap<string, string>;
}

export interface CompileOptions {
  /** Fully qualified (`shop.orders.Order`) or relative to the main file's package (`Order`, `Order.Line`). */
  messageName?: string;
}

export interface CompiledSchema {
  root: protobuf.Root;
  messageType: protobuf.Type;
  /** Fully qualified, without a leading dot. */
  messageName: string;
}

interface ParsedFile {
  label: string;
  packageName: string | undefined;
  imports: string[];
  weakImports: string[];
}

const mainFileLabel = "the main schema file";
const bundledPrefix = "google/protobuf/";
// protobuf.common bundles the well-known types but not descriptor.proto, which custom options
// extend; protobufjs ships it separately as JSON.
const descriptorFile = "google/protobuf/descriptor.proto";
const require = createRequire(import.meta.url);

export function compileProtobufSchema(schema: ProtobufSchemaSource, options: CompileOptions = {}): CompiledSchema {
  const root = new protobuf.Root();
  const main = parseFile(root, mainFileLabel, schema.schema);
  // Taken before any import is added: an import may declare messages in the same package.
  const firstMessage = firstTopLevelMessage(root, main.packageName);
  loadImports(root, main, schema.files);
  resolveTypes(root);
  const messageType = options.messageName === undefined ? firstMessage : findMessage(root, options.messageName, main.packageName);
  if (messageType === undefined) throw new ExportError("SCHEMA_INVALID", `${mainFileLabel} declares no message at top level`);
  return { root, messageType, messageName: messageType.fullName.replace(/^\./, "") };
}

function parseFile(root: protobuf.Root, label: string, source: string): ParsedFile {
  try {
    // keepCase: Iceberg column names are the field names as declared (SPEC.md §3).
    const parsed = protobuf.parse(source, root, { keepCase: true });
    return { label, packageName: parsed.package, imports: parsed.imports ?? [], weakImports: parsed.weakImports ?? [] };
  } catch (error) {
    throw new ExportError("SCHEMA_INVALID", `cannot parse ${label}: ${errorMessage(error)}`, { cause: error });
  }
}

function loadImports(root: protobuf.Root, main: ParsedFile, files: ReadonlyMap<string, string>): void {
  const loaded = new Set<string>();
  const importers = [main];
  // Breadth first: the loop also visits the files pushed onto `importers` while it runs.
  for (const importer of importers) {
    const wanted = [...importer.imports.map((name) => ({ name, weak: false })), ...importer.weakImports.map((name) => ({ name, weak: true }))];
    for (const { name, weak } of wanted) {
      if (loaded.has(name)) continue;
      const source = files.get(name);
      if (source !== undefined) {
        importers.push(parseFile(root, `file "${name}"`, source));
      } else if (!addBundledFile(root, name)) {
        if (weak) continue;
        throw new ExportError(
          "SCHEMA_INVALID",
          `${importer.label} imports "${name}", which is neither one of the schema's references nor a ${bundledPrefix} file bundled with protobufjs`,
        );
      }
      loaded.add(name);
    }
  }
}

function addBundledFile(root: protobuf.Root, name: string): boolean {
  if (!name.startsWith(bundledPrefix)) return false;
  const definition = name === descriptorFile ? (require("protobufjs/google/protobuf/descriptor.json") as protobuf.INamespace) : protobuf.common.get(name);
  if (definition?.nested === undefined) return false;
  try {
    root.addJSON(definition.nested);
  } catch (error) {
    throw new ExportError("SCHEMA_INVALID", `cannot add the bundled file "${name}": ${errorMessage(error)}`, { cause: error });
  }
  return true;
}

function resolveTypes(root: protobuf.Root): void {
  try {
    root.resolveAll();
  } catch (error) {
    throw new ExportError("SCHEMA_INVALID", `schema does not resolve: ${errorMessage(error)}`, { cause: error });
  }
}

function firstTopLevelMessage(root: protobuf.Root, packageName: string | undefined): protobuf.Type | undefined {
  const scope = packageName === undefined ? root : lookupExact(root, packageName);
  if (!(scope instanceof protobuf.Namespace)) return undefined;
  // nestedArray keeps declaration order: type names cannot look like array indexes.
  return scope.nestedArray.find((nested) => nested instanceof protobuf.Type);
}

// Relative names are tried first, as protobuf scoping would from inside the main file's package.
function findMessage(root: protobuf.Root, messageName: string, packageName: string | undefined): protobuf.Type {
  const candidates = messageName.startsWith(".")
    ? [messageName.slice(1)]
    : [...new Set([packageName === undefined ? messageName : `${packageName}.${messageName}`, messageName])];
  for (const candidate of candidates) {
    const found = lookupExact(root, candidate);
    if (found instanceof protobuf.Type) return found;
  }
  throw new ExportError("SCHEMA_INVALID", `message "${messageName}" is not declared in the schema (looked for ${candidates.join(" and ")})`);
}

/** By exact path only: protobufjs's own lookup also searches every nested namespace for a partial name. */
function lookupExact(root: protobuf.Root, fullName: string): protobuf.ReflectionObject | null {
  let found: protobuf.ReflectionObject | null = root;
  for (const segment of fullName.split(".")) {
    // A Type is a Namespace at run time (its nested types), though not in protobufjs's typings.
    found = found instanceof protobuf.Namespace ? found.get(segment) : null;
  }
  return found;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
