import { describe, expect, it } from "vitest";
import { readAvroContainer, writeAvroContainer } from "../../../lib/iceberg/avro-container.js";
import { optionalField, requiredField, withNamesById, type AvroRecord } from "../../../lib/iceberg/avro-schema.js";

const schema: AvroRecord = {
  type: "record",
  name: "snapshot_row",
  fields: [requiredField("snapshot_id", 1, "long"), optionalField("parent_id", 2, "long"), requiredField("count", 3, "int")],
};

describe("Avro container files", () => {
  it("keep longs beyond 2^53 exact, as bigints, both ways", async () => {
    const records = [
      { snapshot_id: 9223372036854775807n, parent_id: null, count: 1 },
      { snapshot_id: -9223372036854775808n, parent_id: 3055729675574597004n, count: 2 },
    ];
    const bytes = await writeAvroContainer({ schema, records, metadata: {} });
    const read = await readAvroContainer(bytes, { location: "mem://rows.avro" });
    expect(read.records.map((record) => ({ ...(record as object) }))).toEqual(records);
  });

  it("write the schema with its field ids and the given metadata into the header", async () => {
    const bytes = await writeAvroContainer({ schema, records: [], metadata: { "format-version": "2", "snapshot-id": "17" } });
    const read = await readAvroContainer(bytes, { location: "mem://empty.avro" });
    expect(read.records).toEqual([]);
    expect(read.schema).toEqual(schema);
    expect(read.metadata).toMatchObject({ "format-version": "2", "snapshot-id": "17", "avro.codec": "deflate" });
    expect(JSON.parse(read.metadata["avro.schema"] ?? "{}")).toEqual(schema);
    expect(Buffer.from(bytes.subarray(0, 4)).toString("latin1")).toBe("Obj\x01");
  });

  it("decode with fields renamed by id, whatever the writer called them", async () => {
    const bytes = await writeAvroContainer({ schema, records: [{ snapshot_id: 5n, parent_id: 4n, count: 7 }], metadata: {}, codec: "null" });
    const names = new Map([[1, "id"], [3, "files"]]);
    const read = await readAvroContainer(bytes, { location: "mem://renamed.avro", readerSchema: (writer) => withNamesById(writer, names) });
    expect({ ...(read.records[0] as object) }).toEqual({ id: 5n, parent_id: 4n, files: 7 });
  });

  it("refuses a record that does not fit the schema", async () => {
    await expect(writeAvroContainer({ schema, records: [{ snapshot_id: 5, parent_id: null, count: 1 }], metadata: {} })).rejects.toThrow('a record does not fit the Avro schema snapshot_row: invalid "long": 5');
  });

  it("refuses bytes that are not a container file, naming where they came from", async () => {
    await expect(readAvroContainer(new Uint8Array([1, 2, 3, 4, 5]), { location: "s3://b/m.avro" })).rejects.toThrow(/s3:\/\/b\/m\.avro is not a readable Avro container file/);
  });
});
