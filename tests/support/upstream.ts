// A scripted HTTP upstream on loopback for end-to-end tests: the test supplies the handler, this owns the server.
import * as http from "node:http";
import type { AddressInfo } from "node:net";

export interface TestUpstream {
  url: string;
  close(): Promise<void>;
}

/** Starts a server on 127.0.0.1 with a random port; the handler receives the whole request body. */
export async function startUpstream(handle: (req: http.IncomingMessage, body: string, res: http.ServerResponse) => void): Promise<TestUpstream> {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => handle(req, Buffer.concat(chunks).toString(), res));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => {
      server.closeAllConnections();
      return new Promise((r) => server.close(() => r()));
    },
  };
}
