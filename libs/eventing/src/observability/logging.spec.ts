import { Writable } from 'node:stream';
import pino, { LoggerOptions } from 'pino';
import { runInMessageContext } from '../envelope/message-context';
import { loggerParams, redactUrl } from './logging';

function capturingLogger(): { logger: pino.Logger; lines: () => Record<string, unknown>[] } {
  const chunks: string[] = [];
  const sink = new Writable({ write: (chunk, _encoding, done) => void (chunks.push(String(chunk)), done()) });
  const { pinoHttp } = loggerParams({ serviceName: 'sample', level: 'info' }) as { pinoHttp: LoggerOptions };
  const { mixin, redact, base, messageKey, formatters, level } = pinoHttp;
  const logger = pino({ mixin, redact, base, messageKey, formatters, level }, sink);
  return {
    logger,
    lines: () =>
      chunks
        .join('')
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line)),
  };
}

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
  });
});
