import { readFileSync } from "node:fs";
import protobuf from "protobufjs";
import { describe, expect, it } from "vitest";
import { ExportError } from "../../../lib/core/errors.js";
import { compileProtobufSchema } from "../../../lib/schema/protobuf-compiler.js";

function fixture(name: string): string {
  return readFileSync(new URL(`../../fixtures/proto/${name}`, import.meta.url), "utf8");
}

function fixtures(...names: string[]): Map<string, string> {
  return new Map(names.map((name) => [name, fixture(name)]));
}

function compileError(...[schema, options]: Parameters<typeof compileProtobufSchema>): ExportError {
  try {
    compileProtobufSchema(schema, options);
  } catch (error) {
    if (error instanceof ExportError) return error;
    throw error;
  }
  throw new Error("expected the schema to be refused");
}

function expectSchemaInvalid(error: ExportError, ...fragments: string[]): void {
  expect(error).toMatchObject({ code: "SCHEMA_INVALID", retryable: false });
  for (const fragment of fragments) expect(error.message).toContain(fragment);
}

function field(type: protobuf.Type, name: string): protobuf.Field {
  const found = type.fields[name];
  if (found === undefined) throw new Error(`${type.fullName} has no field ${name}`);
  return found;
}

describe("compileProtobufSchema", () => {
  it("compiles a schema with a referenced file and a bundled google type, keeping field names as declared", () => {
    const compiled = compileProtobufSchema({ schema: fixture("order.proto"), files: fixtures("common.proto") });

    expect(compiled.messageName).toBe("shop.orders.Order");
    expect(compiled.messageType).toBe(compiled.root.lookupType("shop.orders.Order"));
    expect(compiled.messageType.fieldsArray.map((each) => each.name)).toEqual(["id", "total", "placed_at", "tags"]);
    expect(field(compiled.messageType, "total").resolvedType?.fullName).toBe(".shop.common.Money");
    expect(field(compiled.messageType, "placed_at").resolvedType?.fullName).toBe(".google.protobuf.Timestamp");
  });

  it("resolves proto3 optional, maps, oneofs, enums, nested types and the well-known types", () => {
    const { messageType: product, messageName } = compileProtobufSchema({ schema: fixture("product.proto"), files: fixtures("common.proto") });

    expect(messageName).toBe("shop.catalog.Product");
    // protobufjs's hasPresence answers a proto3 optional field with its synthetic oneof, not `true`.
    expect(field(product, "marketing_blurb").hasPresence).toBeTruthy();
    expect(field(product, "marketing_blurb").partOf?.name).toBe("_marketing_blurb");
    expect(field(product, "product_id").hasPresence).toBe(false);
    const stock = field(product, "stock_by_warehouse");
    expect(stock).toBeInstanceOf(protobuf.MapField);
    expect(stock).toMatchObject({ keyType: "string", type: "int64" });
    expect(product.oneofs["pricing"]?.fieldsArray.map((each) => each.name)).toEqual(["fixed_price", "price_rule_id"]);
    expect(field(product, "availability").resolvedType).toBeInstanceOf(protobuf.Enum);
    expect(field(product, "variants").repeated).toBe(true);
    const variant = field(product, "variants").resolvedType as protobuf.Type;
    expect(field(variant, "dimensions").resolvedType?.fullName).toBe(".shop.catalog.Product.Variant.Dimensions");
    const wellKnown = Object.fromEntries(
      ["restock_lead_time", "minimum_order_quantity", "legacy_sku", "custom_attributes", "discontinued_marker", "vendor_payload", "updated_fields", "listed_at"].map(
        (name) => [name, field(product, name).resolvedType?.fullName],
      ),
    );
    expect(wellKnown).toEqual({
      restock_lead_time: ".google.protobuf.Duration",
      minimum_order_quantity: ".google.protobuf.Int32Value",
      legacy_sku: ".google.protobuf.StringValue",
      custom_attributes: ".google.protobuf.Struct",
      discontinued_marker: ".google.protobuf.Empty",
      vendor_payload: ".google.protobuf.Any",
      updated_fields: ".google.protobuf.FieldMask",
      listed_at: ".google.protobuf.Timestamp",
    });
  });

  it("compiles proto2: required fields, defaults, nested enums and extensions", () => {
    const { messageType: stockLevel } = compileProtobufSchema({ schema: fixture("proto2_stock_level.proto"), files: new Map() });

    expect(field(stockLevel, "warehouse_code").required).toBe(true);
    expect(field(stockLevel, "quantity_on_hand").hasPresence).toBe(true);
    expect(field(stockLevel, "status").resolvedType?.fullName).toBe(".warehouse.legacy.StockLevel.Status");
    expect(field(stockLevel, "status").typeDefault).toBe(1);
    expect(field(stockLevel, "bin_ids").packed).toBe(true);
  });

  it("decodes a payload with the compiled type", () => {
    const { messageType } = compileProtobufSchema({ schema: fixture("order.proto"), files: fixtures("common.proto") });
    const payload = messageType.encode({ id: "o-1", placed_at: { seconds: 1_700_000_000, nanos: 5 }, tags: ["gift"] }).finish();

    expect(messageType.toObject(messageType.decode(payload), { longs: Number })).toEqual({
      id: "o-1",
      placed_at: { seconds: 1_700_000_000, nanos: 5 },
      tags: ["gift"],
    });
  });

  it("follows a chain of imports and loads a file imported twice once", () => {
    const compiled = compileProtobufSchema({ schema: fixture("invoice.proto"), files: fixtures("customer.proto", "address.proto", "common.proto") });

    expect(compiled.messageName).toBe("shop.billing.Invoice");
    const customer = field(compiled.messageType, "customer").resolvedType as protobuf.Type;
    expect(field(customer, "billing_address").resolvedType).toBe(field(compiled.messageType, "remit_to").resolvedType);
  });

  it("takes the first message of the main file, not of an import in the same package", () => {
    const compiled = compileProtobufSchema({ schema: fixture("customer.proto"), files: fixtures("address.proto") });
    expect(compiled.messageName).toBe("shop.customers.Customer");
  });

  it("takes the first message of a schema without a package", () => {
    const schema = 'syntax = "proto3"; enum Colour { RED = 0; } message Paint { Colour colour = 1; } message Brush {}';
    expect(compileProtobufSchema({ schema, files: new Map() }).messageName).toBe("Paint");
  });

  it.each([
    ["ProductDiscontinued", "shop.catalog.ProductDiscontinued"],
    ["shop.catalog.ProductDiscontinued", "shop.catalog.ProductDiscontinued"],
    [".shop.catalog.ProductDiscontinued", "shop.catalog.ProductDiscontinued"],
    ["Product.Variant", "shop.catalog.Product.Variant"],
    ["Product.Variant.Dimensions", "shop.catalog.Product.Variant.Dimensions"],
    ["shop.common.Money", "shop.common.Money"],
  ])("finds the message named %s", (messageName, fullName) => {
    const compiled = compileProtobufSchema({ schema: fixture("product.proto"), files: fixtures("common.proto") }, { messageName });
    expect(compiled.messageName).toBe(fullName);
    expect(compiled.messageType.fullName).toBe(`.${fullName}`);
  });

  it("accepts custom options declared against the bundled descriptor.proto", () => {
    const schema = `syntax = "proto3";
      package shop.privacy;
      import "google/protobuf/descriptor.proto";
      extend google.protobuf.FieldOptions { bool personal_data = 50001; }
      message Contact { string email = 1 [(shop.privacy.personal_data) = true]; }`;
    const compiled = compileProtobufSchema({ schema, files: new Map() });
    expect(field(compiled.messageType, "email").options).toEqual({ "(shop.privacy.personal_data)": true });
  });

  it("ignores a weak import that is not there", () => {
    const schema = 'syntax = "proto3"; package a; import weak "gone.proto"; message Kept { int32 n = 1; }';
    expect(compileProtobufSchema({ schema, files: new Map() }).messageName).toBe("a.Kept");
  });

  describe("refuses, as SCHEMA_INVALID naming the culprit,", () => {
    it("a syntax error in the main file", () => {
      const schema = 'syntax = "proto3";\nmessage Broken {\n  int32 = 1;\n}';
      expectSchemaInvalid(compileError({ schema, files: new Map() }), "cannot parse the main schema file", "(line 3)");
    });

    it("a syntax error in an imported file", () => {
      const files = new Map([["common.proto", "syntax = 'proto3'; package shop.common; message Money { string currency = ; }"]]);
      expectSchemaInvalid(compileError({ schema: fixture("order.proto"), files }), 'cannot parse file "common.proto"', "(line 1)");
    });

    it("an import that is neither a reference nor bundled", () => {
      expectSchemaInvalid(compileError({ schema: fixture("invoice.proto"), files: fixtures("customer.proto", "common.proto") }), 'the main schema file imports "address.proto"');
    });

    it("an import missing deeper in the chain, naming the file that imports it", () => {
      const files = fixtures("customer.proto", "common.proto").set("address.proto", 'syntax = "proto3"; import "geo.proto";');
      expectSchemaInvalid(compileError({ schema: fixture("invoice.proto"), files }), 'file "address.proto" imports "geo.proto"');
    });

    it("a google/protobuf file that protobufjs does not bundle", () => {
      const schema = 'syntax = "proto3"; import "google/protobuf/compiler/plugin.proto"; message M {}';
      expectSchemaInvalid(compileError({ schema, files: new Map() }), 'imports "google/protobuf/compiler/plugin.proto"');
    });

    it("an unknown type", () => {
      const schema = 'syntax = "proto3"; package shop.orders; message Order { Currency currency = 1; }';
      expectSchemaInvalid(compileError({ schema, files: new Map() }), "does not resolve", "'Currency'", ".shop.orders.Order");
    });

    it("an extension of an unknown type", () => {
      const schema = 'syntax = "proto2"; package shop.orders; extend Ledger { optional int32 entry = 100; } message Order {}';
      expectSchemaInvalid(compileError({ schema, files: new Map() }), "does not resolve", "'extend Ledger'");
    });

    it("an unknown message name", () => {
      const product = { schema: fixture("product.proto"), files: fixtures("common.proto") };
      expectSchemaInvalid(compileError(product, { messageName: "Variant" }), 'message "Variant" is not declared', "shop.catalog.Variant");
      expectSchemaInvalid(compileError(product, { messageName: "Availability" }), 'message "Availability" is not declared');
    });

    it("a main file that declares no message of its own", () => {
      const schema = 'syntax = "proto3"; package shop.common; import "common.proto"; enum Rounding { HALF_EVEN = 0; }';
      expectSchemaInvalid(compileError({ schema, files: fixtures("common.proto") }), "declares no message");
    });

    it("a type declared twice", () => {
      const schema = 'syntax = "proto3"; package shop.common; import "common.proto"; message Money {}';
      expectSchemaInvalid(compileError({ schema, files: fixtures("common.proto") }), 'cannot parse file "common.proto"', "duplicate name 'Money'");
    });
  });
});
