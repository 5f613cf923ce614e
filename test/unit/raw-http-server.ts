// A raw HTTP/1.1 server on 127.0.0.1 for tests about the bytes on the wire: it keeps each
// request exactly as received (request line, headers, body by Content-Length) and answers with
// the bytes a test chooses, one request per connection. stop() destroys every socket, so no test
// waits on a connection left open.
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';

/** The answer to a request, as raw bytes (a string is written as latin1). */
export type RawAnswer = (request: Buffer) => Buffer | string;

export const OK_JSON: RawAnswer = () => 'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}';

export class RawHttpServer {
  /** every request received, in order, as raw bytes */
  readonly requests: Buffer[] = [];
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();

  constructor(answer: RawAnswer = OK_JSON) {
    this.server = createServer((socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
      socket.on('error', () => undefined);
      let buffered = Buffer.alloc(0);
      socket.on('data', (chunk: Buffer) => {
        buffered = Buffer.concat([buffered, chunk]);
        const end = buffered.indexOf('\r\n\r\n');
        if (end < 0) return;
        const length = Number(/\r\ncontent-length: *(\d+)/i.exec(buffered.subarray(0, end).toString('latin1'))?.[1] ?? 0);
        if (buffered.length < end + 4 + length) return;
        const request = buffered.subarray(0, end + 4 + length);
        this.requests.push(request);
        buffered = Buffer.alloc(0);
        const bytes = answer(request);
        socket.end(typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : bytes);
      });
    });
  }

  /** Listens on a free port of 127.0.0.1; returns the origin (`http://127.0.0.1:PORT`). */
  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** The head of a raw request (request line and headers) as latin1 text. */
export function headOf(request: Buffer): string {
  return request.subarray(0, request.indexOf('\r\n\r\n')).toString('latin1');
}

/** The request-target of a raw request's request line. */
export function targetOf(request: Buffer): string {
  const line = headOf(request).split('\r\n', 1)[0] ?? '';
  return line.slice(line.indexOf(' ') + 1, line.lastIndexOf(' '));
}
