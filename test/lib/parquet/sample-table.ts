// A small export table written by hand, with every kind of column the writer must handle:
// binary key, strings, long, double, decimal, boolean, a list, a map, an empty struct,
// the headers list of structs and the timestamp.
import type { IcebergSchema } from "../../../lib/iceberg/types.js";
import type { TableRow } from "../../../lib/schema/table-row.js";

export const sampleSchema: IcebergSchema = {
  type: "struct",
  "schema-id": 0,
  fields: [
    { id: 1, name: "key", required: false, type: { type: "struct", fields: [{ id: 5, name: "__raw__", required: false, type: "binary" }] } },
    {
      id: 2,
      name: "val",
      required: false,
      type: {
        type: "struct",
        fields: [
          { id: 6, name: "name", required: false, type: "string" },
          { id: 7, name: "amount", required: false, type: "long" },
          { id: 8, name: "ratio", required: false, type: "double" },
          { id: 9, name: "tags", required: false, type: { type: "list", "element-id": 14, "element-required": false, element: "string" } },
          { id: 10, name: "attributes", required: false, type: { type: "map", "key-id": 15, key: "string", "value-id": 16, "value-required": false, value: "string" } },
          { id: 11, name: "nothing", required: false, type: { type: "struct", fields: [] } },
          { id: 12, name: "price", required: false, type: "decimal(20, 0)" },
          { id: 13, name: "flag", required: false, type: "boolean" },
        ],
      },
    },
    {
      id: 3,
      name: "headers",
      required: false,
      type: {
        type: "list",
        "element-id": 17,
        "element-required": false,
        element: {
          type: "struct",
          fields: [
            { id: 18, name: "key", required: false, type: "string" },
            { id: 19, name: "value", required: false, type: "binary" },
          ],
        },
      },
    },
    { id: 4, name: "timestamp", required: false, type: "timestamptz" },
  ],
};

export function sampleRows(): TableRow[] {
  return [
    {
      key: { __raw__: Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01) },
      val: {
        name: "a name longer than sixteen code points",
        amount: -5n,
        ratio: 0.25,
        tags: ["x", null, "y"],
        attributes: new Map<string, string | null>([
          ["k1", "v1"],
          ["k2", null],
        ]),
        nothing: {},
        price: 18_446_744_073_709_551_615n,
        flag: null,
      },
      headers: [{ key: "trace", value: Uint8Array.of(9) }],
      timestamp: 1_767_225_600_000_000n,
    },
    { key: { __raw__: null }, val: null, headers: [], timestamp: 1_767_225_600_000_001n },
    {
      key: { __raw__: Uint8Array.of(0x00, 0x10) },
      val: { name: null, amount: 42n, ratio: Number.NaN, tags: [], attributes: new Map(), nothing: {}, price: 7n, flag: null },
      headers: [
        { key: null, value: null },
        { key: "b", value: Uint8Array.of() },
      ],
      timestamp: 1_767_225_599_999_999n,
    },
    {
      key: { __raw__: Uint8Array.of(0x00, 0x10, 0x00) },
      val: { name: "Ärger", amount: 0n, ratio: -1.5, tags: ["z"], attributes: new Map([["k1", "w"]]), nothing: {}, price: 0n, flag: null },
      headers: [],
      timestamp: 1_767_225_600_000_002n,
    },
  ];
}
