import { Writable } from 'node:stream';
import pino from 'pino';
import { loggerOptions } from '../observability/logging';

/** A service's logger (context mixin, redaction) writing into memory, for tests that read its lines. */
export function capturingLogger(): { logger: pino.Logger; lines: () => Record<string, unknown>[] } {
  const chunks: string[] = [];
  const sink = new Writable({ write: (chunk, _encoding, done) => void (chunks.push(String(chunk)), done()) });
  const logger = pino(loggerOptions({ serviceName: 'sample', level: 'info' }), sink);
  return {
    logger,
    lines: () =>
      chunks
        .join('')
        .trim()
        .split('\n')
        .filter((line) => line.length > 0)
        .map((line) => JSON.parse(line)),
  };
}
