import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { testEnvironment } from "../../env/test-environment.js";
import { uniqueName } from "../../env/unique-name.js";

const fixture = (name: string): string => readFileSync(new URL(`../../fixtures/proto/${name}`, import.meta.url), "utf8");

async function registryCall(path: string, init?: { method: "POST"; body: unknown }): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${testEnvironment().schemaRegistryUrl}${path}`, {
    method: init?.method ?? "GET",
    headers: { "content-type": "application/vnd.schemaregistry.v1+json" },
    body: init ? JSON.stringify(init.body) : null,
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe("the schema registry", () => {
  const commonSubject = uniqueName("common");
  const orderSubject = uniqueName("orders-value");
  const references = [{ name: "common.proto", subject: commonSubject, version: 1 }];

  it("serves a Protobuf schema with references by id and by subject", async () => {
    const common = await registryCall(`/subjects/${commonSubject}/versions`, { method: "POST", body: { schemaType: "PROTOBUF", schema: fixture("common.proto") } });
    const order = await registryCall(`/subjects/${orderSubject}/versions`, {
      method: "POST",
      body: { schemaType: "PROTOBUF", schema: fixture("order.proto"), references },
    });
    expect(common.status).toBe(200);
    expect(order.status).toBe(200);
    const orderId = order.body["id"];
    expect(typeof orderId).toBe("number");
    expect(orderId).not.toBe(common.body["id"]);

    const byId = await registryCall(`/schemas/ids/${String(orderId)}`);
    expect(byId).toEqual({ status: 200, body: { schemaType: "PROTOBUF", schema: fixture("order.proto"), references } });

    const latest = await registryCall(`/subjects/${orderSubject}/versions/latest`);
    expect(latest.body).toEqual({ subject: orderSubject, version: 1, id: orderId, schemaType: "PROTOBUF", schema: fixture("order.proto"), references });
    expect((await registryCall(`/subjects/${orderSubject}/versions/1`)).body).toEqual(latest.body);
  });

  it("answers an unknown id, subject or version with 404 and a Confluent error code", async () => {
    expect(await registryCall("/schemas/ids/987654")).toMatchObject({ status: 404, body: { error_code: 40403 } });
    // Confluent answers an unknown subject with 40401; Apicurio 2.4 with 40402. Clients must accept both.
    const unknownSubject = await registryCall(`/subjects/${uniqueName("missing")}/versions/latest`);
    expect(unknownSubject.status).toBe(404);
    expect([40401, 40402]).toContain(unknownSubject.body["error_code"]);
    expect(await registryCall(`/subjects/${commonSubject}/versions/9`)).toMatchObject({ status: 404, body: { error_code: 40402 } });
  });
});
