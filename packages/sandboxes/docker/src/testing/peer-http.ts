import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';

/** One HTTP/1.1 request as the peer read it. */
export interface PeerHttpRequest {
  method: string;
  /** The request target: path and query. */
  target: string;
  /** Header names in lower case. */
  headers: Record<string, string>;
  body: Buffer;
}

/** What the peer answers: a status and a JSON body (a string is sent as text). */
export interface PeerHttpAnswer {
  status: number;
  body?: unknown;
}

/** What a connection is handed to. */
export interface PeerHttpHandlers {
  request(request: PeerHttpRequest): Promise<PeerHttpAnswer>;
  /** A request with `Connection: Upgrade`: the socket is the handler's from here on; `rest` is what followed the request. */
  hijack(request: PeerHttpRequest, socket: Socket, rest: Buffer): void;
}

const maxHead = 1024 * 1024;

/** Writes an HTTP/1.1 answer with Docker's headers. */
export function writeAnswer(socket: Socket, answer: PeerHttpAnswer, close = false): void {
  const text =
    answer.body === undefined
      ? undefined
      : typeof answer.body === 'string'
        ? answer.body
        : JSON.stringify(answer.body);
  const lines = [
    `HTTP/1.1 ${answer.status} ${STATUS_CODES[answer.status] ?? 'Unknown'}`,
    'Api-Version: 1.47',
    'Ostype: linux',
    'Server: botwire-docker-peer',
    `Date: ${new Date().toUTCString()}`,
  ];
  if (text !== undefined) {
    lines.push(
      `Content-Type: ${typeof answer.body === 'string' ? 'text/plain; charset=utf-8' : 'application/json'}`,
      `Content-Length: ${Buffer.byteLength(text)}`,
    );
  } else if (answer.status !== 204 && answer.status !== 304) lines.push('Content-Length: 0');
  if (close) lines.push('Connection: close');
  socket.write(`${lines.join('\r\n')}\r\n\r\n${text ?? ''}`);
  if (close) socket.end();
}

/** Decodes a complete chunked body at the start of `data`, or undefined while it is incomplete. */
function readChunked(data: Buffer): { body: Buffer; used: number } | undefined {
  const parts: Buffer[] = [];
  let offset = 0;
  for (;;) {
    const lineEnd = data.indexOf('\r\n', offset);
    if (lineEnd < 0) return undefined;
    const size = Number.parseInt(data.subarray(offset, lineEnd).toString('latin1'), 16);
    if (!Number.isFinite(size)) throw new Error('bad chunk size');
    const start = lineEnd + 2;
    if (size === 0) {
      const trailerEnd = data.indexOf('\r\n', start);
      return trailerEnd < 0 ? undefined : { body: Buffer.concat(parts), used: trailerEnd + 2 };
    }
    if (data.length < start + size + 2) return undefined;
    parts.push(data.subarray(start, start + size));
    offset = start + size + 2;
  }
}

/**
 * Serves HTTP/1.1 on one connection, request after request (keep-alive), by hand rather than
 * with node:http, which cannot hijack a request that has a body: dockerode's attach sends its
 * options as a body (or a chunked one) together with `Upgrade: tcp`, and Docker takes the
 * connection over anyway. As Docker's buffered reader does, the declared body of such a request
 * is dropped; every byte after it is the raw stream.
 */
export function servePeerConnection(socket: Socket, handlers: PeerHttpHandlers): void {
  let buffer = Buffer.alloc(0);
  let busy = false;
  const onData = (chunk: Buffer) => {
    buffer = Buffer.concat([buffer, chunk]);
    void pump();
  };
  socket.on('data', onData);
  socket.on('error', () => undefined);

  async function pump(): Promise<void> {
    if (busy) return;
    busy = true;
    try {
      for (;;) {
        const headEnd = buffer.indexOf('\r\n\r\n');
        if (headEnd < 0) {
          if (buffer.length > maxHead) writeAnswer(socket, { status: 431 }, true);
          return;
        }
        const [requestLine = '', ...headerLines] = buffer
          .subarray(0, headEnd)
          .toString('latin1')
          .split('\r\n');
        const [method = 'GET', target = '/'] = requestLine.split(' ');
        const headers: Record<string, string> = {};
        for (const line of headerLines) {
          const colon = line.indexOf(':');
          if (colon > 0)
            headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
        }
        const bodyStart = headEnd + 4;
        const chunked = /chunked/i.test(headers['transfer-encoding'] ?? '');
        const length = Number(headers['content-length'] ?? 0) || 0;
        const upgrade = /upgrade/i.test(headers.connection ?? '') && Boolean(headers.upgrade);
        if (upgrade) {
          // A chunked body never comes (the client streams raw bytes after the 101 instead).
          const used = chunked ? 0 : length;
          if (buffer.length < bodyStart + used) return;
          socket.off('data', onData);
          const request = {
            method,
            target,
            headers,
            body: buffer.subarray(bodyStart, bodyStart + used),
          };
          handlers.hijack(request, socket, buffer.subarray(bodyStart + used));
          return;
        }
        let body: Buffer;
        let used: number;
        if (chunked) {
          const decoded = readChunked(buffer.subarray(bodyStart));
          if (!decoded) return;
          body = decoded.body;
          used = bodyStart + decoded.used;
        } else {
          if (buffer.length < bodyStart + length) return;
          body = buffer.subarray(bodyStart, bodyStart + length);
          used = bodyStart + length;
        }
        buffer = buffer.subarray(used);
        const answer = await handlers.request({ method, target, headers, body });
        if (socket.destroyed) return;
        writeAnswer(socket, answer, /close/i.test(headers.connection ?? ''));
      }
    } catch (error) {
      writeAnswer(socket, { status: 400, body: { message: String(error) } }, true);
    } finally {
      busy = false;
    }
  }
}
