import { describe, expect, it } from "vitest";
import { ExportError, UnavailableError } from "../../../lib/core/errors.js";
import { inSchemaContext, SchemaMappingError, withSchemaContext } from "../../../lib/schema/schema-mapping-error.js";

describe("schema errors in context", () => {
  const context = "topic orders, subject orders-value, message shop.Order";

  it("put the topic, subject and message in front of a mapping error naming its field", () => {
    const error = inSchemaContext(context, new SchemaMappingError("val.items.element", "no column fits"));
    expect(error).toBeInstanceOf(ExportError);
    expect(error).toMatchObject({ code: "SCHEMA_INVALID", retryable: false, message: "topic orders, subject orders-value, message shop.Order: field val.items.element: no column fits" });
  });

  it("keep the code and the retryable flag of any export error", () => {
    expect(inSchemaContext(context, new UnavailableError("REGISTRY_UNAVAILABLE", "registry down"))).toMatchObject({ code: "REGISTRY_UNAVAILABLE", retryable: true });
  });

  it("turn what is not an export error into SCHEMA_INVALID, its name and message kept, the error as cause", () => {
    const internal = new TypeError("cannot read properties of undefined");
    expect(() => withSchemaContext(context, () => { throw internal; })).toThrow(
      expect.objectContaining({ code: "SCHEMA_INVALID", cause: internal, message: `${context}: the schema cannot be mapped to a table (TypeError: cannot read properties of undefined)` }) as Error,
    );
    expect(withSchemaContext(context, () => 7)).toBe(7);
  });
});
