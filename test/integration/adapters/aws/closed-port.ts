// An endpoint nothing listens on, so that a client's first request is refused at once.
import { createServer } from "node:net";

export async function closedPortEndpoint(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise<void>((resolve, reject) => server.close((error) => (error === undefined ? resolve() : reject(error))));
  if (address === null || typeof address === "string") throw new Error("the probe server has no TCP port");
  return `http://127.0.0.1:${address.port}`;
}
