import { describe, expect, it } from "vitest";
import { nameMappingOf } from "../../../lib/iceberg/name-mapping.js";
import type { IcebergSchema } from "../../../lib/iceberg/types.js";
import { exportSchema } from "./iceberg-fixtures.js";

describe("the default name mapping", () => {
  it("maps every field by name, nested through structs and list elements", () => {
    expect(JSON.parse(nameMappingOf(exportSchema))).toEqual([
      { "field-id": 1, names: ["key"], fields: [{ "field-id": 5, names: ["__raw__"] }] },
      {
        "field-id": 2,
        names: ["val"],
        fields: [
          { "field-id": 6, names: ["order_id"] },
          { "field-id": 7, names: ["amount"] },
          { "field-id": 8, names: ["note"] },
        ],
      },
      {
        "field-id": 3,
        names: ["headers"],
        fields: [
          {
            "field-id": 9,
            names: ["element"],
            fields: [
              { "field-id": 10, names: ["key"] },
              { "field-id": 11, names: ["value"] },
            ],
          },
        ],
      },
      { "field-id": 4, names: ["timestamp"] },
    ]);
  });

  it("maps a map's key and value, and leaves an empty struct without fields", () => {
    const schema: IcebergSchema = {
      type: "struct",
      "schema-id": 1,
      fields: [
        { id: 1, name: "attributes", required: false, type: { type: "map", "key-id": 2, key: "string", "value-id": 3, "value-required": false, value: { type: "list", "element-id": 4, "element-required": false, element: "long" } } },
        { id: 5, name: "empty", required: false, type: { type: "struct", fields: [] } },
      ],
    };
    expect(JSON.parse(nameMappingOf(schema))).toEqual([
      {
        "field-id": 1,
        names: ["attributes"],
        fields: [
          { "field-id": 2, names: ["key"] },
          { "field-id": 3, names: ["value"], fields: [{ "field-id": 4, names: ["element"] }] },
        ],
      },
      { "field-id": 5, names: ["empty"] },
    ]);
  });
});
