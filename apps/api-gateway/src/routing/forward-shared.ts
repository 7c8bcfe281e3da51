import type { IncomingMessage, ServerResponse } from 'node:http';
import { copyHead } from './forward-request';

/** The codes with which a service says "not mine": an account it does not hold, a route it does not have. */
const NOT_MINE = new Set(['ACCOUNT_NOT_FOUND', 'NOT_FOUND']);
const MOST_READ = 64 * 1024;

/**
 * For a path two services share: returns a `takeOver` for the first service's answer. A 404
 * that says "not mine" is dropped and `passOn` sends the request to the next service; any
 * other answer (also a 404 for an order that does not exist) goes to the client as it came.
 */
export function passOnWhenNotMine(res: ServerResponse, passOn: () => void) {
  return (answer: IncomingMessage): boolean => {
    if (answer.statusCode !== 404) return false;
    const chunks: Buffer[] = [];
    let size = 0;
    answer.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MOST_READ) chunks.push(chunk);
    });
    answer.on('error', () => res.destroy());
    answer.on('end', () => {
      const body = Buffer.concat(chunks);
      if (NOT_MINE.has(codeOf(body))) return passOn();
      copyHead(answer, res);
      res.removeHeader('content-length');
      res.end(body);
    });
    return true;
  };
}

function codeOf(body: Buffer): string {
  try {
    return String((JSON.parse(body.toString()) as { code?: unknown }).code);
  } catch {
    return '';
  }
}
