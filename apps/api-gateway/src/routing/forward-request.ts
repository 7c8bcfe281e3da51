import {
  type Agent,
  request,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';

/** Headers that describe one connection, never the message: each hop sets its own. */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

export interface ForwardTarget {
  readonly hostname: string;
  readonly port: number;
  /** Keeps connections to the service open between requests. */
  readonly agent: Agent;
  readonly timeoutMs: number;
}

export interface ForwardedRequest {
  readonly method: string;
  /** The path and query at the service. */
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  /** The address the gateway believes is the client's, the only X-Forwarded-For a service sees. */
  readonly clientAddress: string | undefined;
  /** What the route stripped from the public path (`/api`), never a value the client sent. */
  readonly forwardedPrefix: string | undefined;
  /** Read in full beforehand (checked for size and content), so it goes out with a Content-Length. */
  readonly body: Buffer | undefined;
}

/**
 * Sends one request to a service and streams its answer back: a plain `http.request` on a
 * keep-alive agent, nothing per request but the headers' copy. `onError` gets the connection's
 * failure (ETIMEDOUT when the service did not answer within `timeoutMs`) only while nothing of
 * the answer has been sent; a failure after that cuts the client's connection.
 */
export function forwardRequest(
  target: ForwardTarget,
  forwarded: ForwardedRequest,
  res: ServerResponse,
  onError: (error: NodeJS.ErrnoException) => void,
  /** Sees the answer first; true when it deals with the answer itself. */
  takeOver?: (answer: IncomingMessage) => boolean,
): void {
  const headers: IncomingHttpHeaders = {};
  for (const [name, value] of Object.entries(forwarded.headers)) {
    if (!HOP_BY_HOP.has(name)) headers[name] = value;
  }
  if (forwarded.clientAddress) headers['x-forwarded-for'] = forwarded.clientAddress;
  if (forwarded.forwardedPrefix) headers['x-forwarded-prefix'] = forwarded.forwardedPrefix;
  else delete headers['x-forwarded-prefix'];
  headers['x-forwarded-proto'] ??= 'http';
  headers['x-forwarded-host'] ??= forwarded.headers.host;
  if (forwarded.body) headers['content-length'] = String(forwarded.body.length);

  const outgoing = request({
    hostname: target.hostname,
    port: target.port,
    method: forwarded.method,
    path: forwarded.path,
    headers,
    agent: target.agent,
  });
  let failed = false;
  let answered = false;
  const fail = (error: NodeJS.ErrnoException) => {
    if (failed) return;
    failed = true;
    if (answered || res.headersSent) res.destroy(error);
    else onError(error);
  };
  outgoing.setTimeout(target.timeoutMs, () =>
    outgoing.destroy(Object.assign(new Error('upstream timed out'), { code: 'ETIMEDOUT' })),
  );
  outgoing.on('error', fail);
  outgoing.on('response', (answer: IncomingMessage) => {
    answered = true;
    if (!takeOver?.(answer)) copyAnswer(answer, res, fail);
  });
  // The client gave up: so does the request to the service, which frees the pooled connection.
  res.on('close', () => {
    if (!res.writableFinished) outgoing.destroy();
  });
  outgoing.end(forwarded.body);
}

function copyAnswer(
  answer: IncomingMessage,
  res: ServerResponse,
  fail: (error: NodeJS.ErrnoException) => void,
): void {
  copyHead(answer, res);
  answer.on('error', fail);
  answer.on('aborted', () =>
    fail(Object.assign(new Error('upstream answer cut short'), { code: 'ECONNRESET' })),
  );
  answer.pipe(res);
}

export function copyHead(answer: IncomingMessage, res: ServerResponse): void {
  res.statusCode = answer.statusCode ?? 502;
  if (answer.statusMessage) res.statusMessage = answer.statusMessage;
  for (const [name, value] of Object.entries(answer.headers)) {
    if (value !== undefined && !HOP_BY_HOP.has(name)) res.setHeader(name, value);
  }
}
