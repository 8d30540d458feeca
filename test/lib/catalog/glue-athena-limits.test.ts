import { describe, expect, it } from "vitest";
import { glueAthenaProblems, maxGlueTypeLength } from "../../../lib/catalog/glue-athena-limits.js";
import { evolveSchemaState } from "../../../lib/schema/schema-state.js";
import { compileFixtureMessage, compileMessage } from "../schema/compile-fixture.js";

function schemaOf(body: string, extra = "") {
  return evolveSchemaState(undefined, compileMessage(`syntax = "proto3";\npackage limits;\n${extra}\nmessage Event {\n${body}\n}\n`, "Event")).state.schema;
}

describe("the limits of Glue and Athena on a table schema", () => {
  it("finds nothing in an ordinary schema, nor in the mapping fixtures", () => {
    expect(glueAthenaProblems(schemaOf("string id = 1;\nrepeated string tags = 2;\nmap<string, int64> counts = 3;"))).toEqual([]);
    expect(glueAthenaProblems(evolveSchemaState(undefined, compileFixtureMessage("empty/event_v2.proto", "Event")).state.schema)).toEqual([]);
  });

  it("names fields of one struct that differ only by case, at any depth, in lists and maps too", () => {
    const problems = glueAthenaProblems(
      schemaOf(
        "string name = 1;\nstring Name = 2;\nrepeated Line lines = 3;\nmap<string, Line> by_sku = 4;\nLine first = 5;",
        "message Line { string sku = 1; string SKU = 2; int32 Qty = 3; int32 qty = 4; int32 QTY = 5; }",
      ),
    );
    expect([...problems].sort()).toEqual(
      [
      "fields val.name and val.Name differ only by case, and Glue and Athena fold names to lower case",
      "fields val.lines.element.sku and val.lines.element.SKU differ only by case, and Glue and Athena fold names to lower case",
      "fields val.lines.element.Qty and val.lines.element.qty and val.lines.element.QTY differ only by case, and Glue and Athena fold names to lower case",
      "fields val.by_sku.value.sku and val.by_sku.value.SKU differ only by case, and Glue and Athena fold names to lower case",
      "fields val.by_sku.value.Qty and val.by_sku.value.qty and val.by_sku.value.QTY differ only by case, and Glue and Athena fold names to lower case",
      "fields val.first.sku and val.first.SKU differ only by case, and Glue and Athena fold names to lower case",
      "fields val.first.Qty and val.first.qty and val.first.QTY differ only by case, and Glue and Athena fold names to lower case",
      ].sort(),
    );
  });

  it("names a field whose name is over 255 bytes", () => {
    const long = `f${"x".repeat(255)}`;
    expect(glueAthenaProblems(schemaOf(`string ${long} = 1;\nstring ${"y".repeat(255)} = 2;`))).toEqual([`field val.${long} has a name of 256 bytes, over the 255 that Glue and Athena take`]);
  });

  it("names a column whose Glue type string is over Glue's limit", () => {
    // 2000 fields of 70-character names: about 150,000 characters of struct<...>.
    const fields = Array.from({ length: 2000 }, (_, index) => `string field_${String(index).padStart(4, "0")}_${"n".repeat(60)} = ${index + 1};`).join("\n");
    const problems = glueAthenaProblems(schemaOf(fields));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(new RegExp(`^column val has a Glue type string of \\d+ characters, over Glue's limit of ${maxGlueTypeLength}`));
  });
});
