import { metadataFromContext, runInMessageContext } from '../envelope/message-context';
import { capturingLogger } from '../testing/captured-log';
import { configureOperationsLog } from './operations-log';
import { traceHop } from './tracing';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const CONSUMED = {
  correlationId: 'corr-9',
  messageId: 'msg-9',
  causationId: 'msg-8',
  streamId: 'account-1',
  messageType: 'AccountOpened',
  traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
};

describe('slow operations', () => {
  it('given a handler slower than SLOW_OPERATION_MS, warns with its duration and every id of its message', async () => {
    const { logger, lines } = capturingLogger();
    configureOperationsLog({ logger, slowOperationMs: 20 });

    await traceHop({ name: 'consume AccountOpened', slow: 'handler', context: CONSUMED }, () => sleep(40));

    expect(lines()).toEqual([
      expect.objectContaining({
        level: 'warn',
        message: expect.stringMatching(/^slow handler: consume AccountOpened took \d+ ms$/),
        operation: 'handler',
        durationMs: expect.any(Number),
        thresholdMs: 20,
        correlationId: 'corr-9',
        messageId: 'msg-9',
        causationId: 'msg-8',
        streamId: 'account-1',
        messageType: 'AccountOpened',
        traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
        spanId: '00f067aa0ba902b7',
      }),
    ]);
    expect(lines()[0].durationMs).toBeGreaterThanOrEqual(20);
  });

  it('given a command within the threshold, writes nothing', async () => {
    const { logger, lines } = capturingLogger();
    configureOperationsLog({ logger, slowOperationMs: 60_000 });

    await runInMessageContext({ correlationId: 'corr-1', messageId: null }, () =>
      traceHop({ name: 'command OpenAccount', slow: 'command' }, () => sleep(1)),
    );

    expect(lines()).toEqual([]);
  });

  it('without tracing, a hop keeps the traceparent it was given, so messages it sends continue the trace', async () => {
    const seen = await traceHop({ name: 'consume AccountOpened', context: CONSUMED }, async () =>
      metadataFromContext(),
    );
    expect(seen).toMatchObject({ traceparent: CONSUMED.traceparent, causationId: 'msg-9' });
  });
});
