import { Writable } from 'node:stream';
import { createLogger } from '../src/logger.ts';

/** The service logger writing into memory, so tests can read exactly what would reach the log. */
export function capturedLogger(level = 'info') {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { logger: createLogger('test', level, stream), text: () => lines.join('') };
}
