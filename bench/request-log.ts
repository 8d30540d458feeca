// Time spent waiting on the servers: every HTTP request of this process, from its start
// to the end of its response body, labelled by AWS operation. Node's http diagnostics
// channels see the requests, so the SDK clients stay exactly as the Lambda wiring builds
// them. Only sequential requests add up to wall time; the commit path makes no others.
import { subscribe } from "node:diagnostics_channel";
import type { ClientRequest, IncomingMessage } from "node:http";

export interface OperationTotal {
  count: number;
  ms: number;
}

export type RequestTotals = Record<string, OperationTotal>;

export interface RequestLog {
  /** The totals since the previous call, by operation; starts counting afresh. */
  take(): RequestTotals;
}

export function startRequestLog(): RequestLog {
  const started = new WeakMap<ClientRequest, { label: string; startMs: number }>();
  let totals: RequestTotals = {};

  function record(label: string, ms: number): void {
    const total = (totals[label] ??= { count: 0, ms: 0 });
    total.count++;
    total.ms += ms;
  }

  subscribe("http.client.request.start", (message) => {
    const { request } = message as { request: ClientRequest };
    started.set(request, { label: operationOf(request), startMs: performance.now() });
  });
  subscribe("http.client.response.finish", (message) => {
    const { request, response } = message as { request: ClientRequest; response: IncomingMessage };
    const start = started.get(request);
    if (start !== undefined) response.once("end", () => record(start.label, performance.now() - start.startMs));
  });

  return {
    take() {
      const taken = totals;
      totals = {};
      return taken;
    },
  };
}

/** "DynamoDB Query", "Glue UpdateTable", "S3 GET metadata.json", "S3 PUT manifest", ... */
function operationOf(request: ClientRequest): string {
  const target = request.getHeader("x-amz-target");
  if (typeof target === "string") {
    const [service = "", operation = ""] = target.split(".");
    return `${service.startsWith("DynamoDB") ? "DynamoDB" : service === "AWSGlue" ? "Glue" : service} ${operation}`;
  }
  const [path = "", query = ""] = request.path.split("?");
  if (request.method === "POST" && /(^|&)delete(=|&|$)/.test(query)) return "S3 DeleteObjects";
  return `S3 ${request.method} ${objectKind(path)}`;
}

function objectKind(path: string): string {
  const name = path.slice(path.lastIndexOf("/") + 1);
  if (name.endsWith(".metadata.json")) return "metadata.json";
  if (name.startsWith("snap-") && name.endsWith(".avro")) return "manifest list";
  if (name.endsWith(".avro")) return "manifest";
  if (name.endsWith(".parquet")) return "data file";
  return "other";
}
