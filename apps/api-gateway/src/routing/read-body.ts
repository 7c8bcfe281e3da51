import type { IncomingMessage } from 'node:http';

export type BodyRefusal = 'too-large' | 'unreadable';

/**
 * Reads a request's whole body, refusing one above `limit` bytes, whether it says so in its
 * Content-Length or only turns out so. A request without a body gets `undefined`.
 */
export function readBody(
  req: IncomingMessage,
  limit: number,
  done: (refusal: BodyRefusal | undefined, body?: Buffer) => void,
): void {
  const declared = req.headers['content-length'];
  if (declared === undefined && req.headers['transfer-encoding'] === undefined) return done(undefined);
  if (declared !== undefined && Number(declared) > limit) {
    req.resume();
    return done('too-large');
  }
  const chunks: Buffer[] = [];
  let size = 0;
  let settled = false;
  const settle = (refusal: BodyRefusal | undefined, body?: Buffer) => {
    if (settled) return;
    settled = true;
    req.off('data', onData);
    if (refusal) req.resume(); // drained and dropped, so the connection can answer and carry on
    done(refusal, body);
  };
  const onData = (chunk: Buffer) => {
    size += chunk.length;
    if (size > limit) return settle('too-large');
    chunks.push(chunk);
  };
  req.on('data', onData);
  req.once('end', () => settle(undefined, chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size)));
  req.once('error', () => settle('unreadable'));
  req.once('aborted', () => settle('unreadable'));
}
