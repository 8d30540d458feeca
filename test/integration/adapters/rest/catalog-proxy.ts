// A proxy in front of the test environment's real REST catalog server, for the failures a
// network or a gateway adds: every request is forwarded and really served; for those `fault`
// picks, the server's answer is then withheld: the connection cut, a gateway's 504 sent
// instead, or nothing sent until the client gives up.
import { createServer, request as httpRequest, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export type AnswerFault = "cut" | "gateway-timeout" | "hold";

export interface CatalogProxy {
  url: string;
  /** The requests whose answers were withheld, as "METHOD path". */
  faulted: string[];
  close(): Promise<void>;
}

export async function startCatalogProxy(target: string, fault: (method: string, path: string) => AnswerFault | undefined): Promise<CatalogProxy> {
  const upstream = new URL(target);
  const faulted: string[] = [];
  const server: Server = createServer((incoming, outgoing) => {
    const method = incoming.method ?? "GET";
    const path = incoming.url ?? "/";
    const chosen = fault(method, path);
    if (chosen !== undefined) faulted.push(`${method} ${path}`);
    const forwarded = httpRequest({ host: upstream.hostname, port: upstream.port, method, path, headers: { ...incoming.headers, host: upstream.host } }, (answer) => {
      if (chosen === undefined) {
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(outgoing);
        return;
      }
      answer.resume();
      answer.once("end", () => {
        if (chosen === "cut") outgoing.socket?.destroy();
        if (chosen === "gateway-timeout") outgoing.writeHead(504, { "content-type": "text/plain" }).end("gateway timeout");
      });
    });
    forwarded.once("error", () => outgoing.socket?.destroy());
    incoming.pipe(forwarded);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    faulted,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
