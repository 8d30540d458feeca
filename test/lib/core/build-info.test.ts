import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parquetMetadata } from "hyparquet";
import { describe, expect, it } from "vitest";
import { buildInfo, createdByString, gitCommit } from "../../../lib/core/build-info.js";
import { writeDataFile } from "../../../lib/parquet/data-file-writer.js";
import { evolveSchemaState } from "../../../lib/schema/schema-state.js";

// parquet-mr's VersionParser.FORMAT, which Spark, Trino and Impala read created_by with.
const parquetMrFormat = /^(.*?)\s+version\s*(?:([^(]*?)\s*(?:\(\s*build\s*([^)]*?)\s*\))?)?$/;

describe("the build that wrote a file", () => {
  it("is the package version and, from a git checkout, its commit", () => {
    const packageVersion = (JSON.parse(readFileSync(new URL("../../../package.json", import.meta.url), "utf8")) as { version: string }).version;
    const head = execFileSync("git", ["rev-parse", "--short=12", "HEAD"], { cwd: new URL(".", import.meta.url), encoding: "utf8" }).trim();
    expect(buildInfo()).toEqual({ version: packageVersion, build: head });
  });

  it("is unknown outside a git checkout", () => {
    const directory = mkdtempSync(join(tmpdir(), "no-git-"));
    try {
      expect(gitCommit(directory)).toBe("unknown");
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it("is written as created_by in the form parquet-mr's VersionParser parses", () => {
    expect(createdByString({ version: "1.2.3", build: "0123456789ab" })).toBe("kafka-iceberg-export version 1.2.3 (build 0123456789ab)");
    const [, application, version, build] = parquetMrFormat.exec(createdByString()) ?? [];
    expect({ application, version, build }).toEqual({ application: "kafka-iceberg-export", ...buildInfo() });
  });

  it("is in the footer of every data file", () => {
    const { schema } = evolveSchemaState(undefined, undefined).state;
    const { bytes } = writeDataFile(schema, [{ key: { __raw__: null }, val: { __raw__: new Uint8Array([1]) }, headers: [], timestamp: 1n }]);
    const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    expect(parquetMetadata(buffer).created_by).toBe(createdByString());
  });
});
