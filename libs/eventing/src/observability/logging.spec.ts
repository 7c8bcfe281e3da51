import { createServer } from 'node:http';
import { Writable } from 'node:stream';
import type { AddressInfo } from 'node:net';
import { type Options, pinoHttp } from 'pino-http';
import { runInMessageContext } from '../envelope/message-context';
import { capturingLogger } from '../testing/captured-log';
import { loggerParams, redactUrl, serviceLogger } from './logging';

describe('service logging', () => {
  it('puts the correlation, message and saga ids of the message being handled on every line', () => {
    const { logger, lines } = capturingLogger();
    runInMessageContext(
      { correlationId: 'corr-1', messageId: 'msg-1', sagaId: 'saga-1', sagaStep: 'LinkBrokerAccounts' },
      () => logger.info('linked'),
    );

    expect(lines()[0]).toMatchObject({
      service: 'sample',
      level: 'info',
      message: 'linked',
      correlationId: 'corr-1',
      messageId: 'msg-1',
      sagaId: 'saga-1',
      sagaStep: 'LinkBrokerAccounts',
    });
  });

  it('never writes passwords, tokens, credentials or authorization headers', () => {
    const { logger, lines } = capturingLogger();
    logger.info(
      {
        req: { headers: { authorization: 'Bearer abc', cookie: 'sid=1' } },
        password: 'hunter2',
        body: { credentials: { apiKey: 'k', apiSecret: 's' }, refreshToken: 'r' },
      },
      'request',
    );

    const line = JSON.stringify(lines()[0]);
    for (const secret of ['Bearer abc', 'sid=1', 'hunter2', '"k"', '"s"', '"r"'])
      expect(line).not.toContain(secret);
    expect(lines()[0]).toMatchObject({
      password: '[redacted]',
      body: { credentials: '[redacted]', refreshToken: '[redacted]' },
    });
  });

  it('keeps tokens passed in a query string out of logged URLs', () => {
    expect(redactUrl('/ws?token=eyJhbGci.abc&room=quotes')).toBe('/ws?token=[redacted]&room=quotes');
    expect(redactUrl('/orders?page=2')).toBe('/orders?page=2');
    expect(redactUrl('/broker-connections/oauth/tradestation/callback?code=c0de&state=st4te')).toBe(
      '/broker-connections/oauth/tradestation/callback?code=[redacted]&state=[redacted]',
    );
  });
});

/** pino-http as the services run it, writing to memory instead of stdout. */
async function requestLines(level: string, status: number): Promise<Record<string, unknown>[]> {
  const chunks: string[] = [];
  const sink = new Writable({ write: (chunk, _encoding, done) => void (chunks.push(String(chunk)), done()) });
  const { pinoHttp: options } = loggerParams({ serviceName: 'sample', level }) as { pinoHttp: Options };
  const middleware = pinoHttp({ ...options, logger: serviceLogger({ serviceName: 'sample', level }, sink) });
  const server = createServer((req, res) => middleware(req, res, () => res.writeHead(status).end()));
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  const { port } = server.address() as AddressInfo;
  await fetch(`http://127.0.0.1:${port}/orders?token=secret&page=2`, {
    method: 'POST',
    headers: { authorization: 'Bearer abc', 'x-correlation-id': 'corr-7' },
  });
  await new Promise<void>((closed) => server.close(() => closed()));
  return chunks
    .join('')
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line));
}

describe('request logging', () => {
  it('logs each answered request with its id, method, redacted URL, status and duration', async () => {
    const [line] = await requestLines('info', 201);
    expect(line).toMatchObject({
      service: 'sample',
      level: 'info',
      req: { id: 'corr-7', method: 'POST', url: '/orders?token=[redacted]&page=2' },
      res: { statusCode: 201 },
    });
    expect(Object.keys(line.req as object)).toEqual(['id', 'method', 'url']);
    expect(typeof line.responseTime).toBe('number');
    expect(JSON.stringify(line)).not.toContain('Bearer abc');
  });

  it('below its level writes nothing for a success, and still the full line for a refusal', async () => {
    expect(await requestLines('warn', 201)).toEqual([]);
    const [refused] = await requestLines('warn', 404);
    expect(refused).toMatchObject({
      level: 'warn',
      req: { id: 'corr-7', method: 'POST', url: '/orders?token=[redacted]&page=2' },
      res: { statusCode: 404 },
    });
  });
});
