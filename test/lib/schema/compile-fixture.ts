import { readFileSync } from "node:fs";
import type protobuf from "protobufjs";
import { compileProtobufSchema } from "../../../lib/schema/protobuf-compiler.js";

export function fixtureProto(path: string): string {
  return readFileSync(new URL(`../../fixtures/proto/${path}`, import.meta.url), "utf8");
}

/** A message type of a .proto fixture with no imports beyond google/protobuf/*. */
export function compileFixtureMessage(path: string, messageName: string): protobuf.Type {
  return compileProtobufSchema({ schema: fixtureProto(path), files: new Map() }, { messageName }).messageType;
}

/** A message type from .proto text written in the test. */
export function compileMessage(schema: string, messageName: string): protobuf.Type {
  return compileProtobufSchema({ schema, files: new Map() }, { messageName }).messageType;
}
