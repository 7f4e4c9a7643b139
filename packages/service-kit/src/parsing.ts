import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { problemType } from './problem.ts';

/**
 * What a request meets before any route: HTTP that Node cannot parse.
 * Every answer here is problem+json too, and none quotes what was sent.
 */

const CLIENT_ERRORS: Record<string, { status: number; detail: string }> = {
  ERR_HTTP_REQUEST_TIMEOUT: { status: 408, detail: 'the request did not arrive in time' },
  HPE_HEADER_OVERFLOW: { status: 431, detail: 'the request line and headers are too large' },
  HPE_INVALID_URL: { status: 400, detail: 'the URL has a character that must be percent-encoded (any byte outside printable ASCII)' },
};
const NOT_HTTP = { status: 400, detail: 'the request is not valid HTTP/1.1' };

/**
 * fastify's clientErrorHandler: answers a request Node's HTTP parser refused (raw UTF-8 in the URL,
 * headers too large, too slow) with problem+json rather than fastify's plain JSON, then closes the
 * connection, as the parser cannot go on reading it.
 */
export function answerClientError(this: FastifyInstance, err: Error & { code?: string }, socket: Duplex): void {
  // A reset connection is gone; there is no one to answer.
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const { status, detail } = CLIENT_ERRORS[err.code ?? ''] ?? NOT_HTTP;
  // The code only: the parser's error carries the raw bytes it read (tokens, personal data).
  this.log.debug({ code: err.code }, 'unparseable request');
  if (socket.writable) {
    const body = JSON.stringify({ type: problemType(status), title: STATUS_CODES[status], status, detail });
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/problem+json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy();
}
