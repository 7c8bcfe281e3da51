import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { capturingLogger } from '../testing/captured-log';
import { CorrelationMiddleware } from './correlation.middleware';
import { configureOperationsLog } from './operations-log';

const CALLER = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

describe('a request as the first hop of its trace (tracing off)', () => {
  let server: Server;
  let url: string;

  beforeAll(async () => {
    const middleware = new CorrelationMiddleware();
    server = createServer((req, res) =>
      middleware.use(req, res, () => setTimeout(() => res.end('ok'), req.url === '/slow' ? 40 : 0)),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  it('given no traceparent, starts a trace and answers with it', async () => {
    const answer = await fetch(`${url}/fast`);
    expect(answer.headers.get('traceparent')).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
  });

  it("given the caller's traceparent, answers within the caller's trace", async () => {
    const answer = await fetch(`${url}/fast`, { headers: { traceparent: CALLER } });
    expect(answer.headers.get('traceparent')).toBe(CALLER);
  });

  it('given a malformed traceparent, starts a new trace rather than carry it on', async () => {
    const answer = await fetch(`${url}/fast`, { headers: { traceparent: '00-not-a-trace-01' } });
    expect(answer.headers.get('traceparent')).toMatch(/^00-[0-9a-f]{32}-/);
  });

  it('given a query slower than SLOW_OPERATION_MS, warns with its correlation and trace ids', async () => {
    const { logger, lines } = capturingLogger();
    configureOperationsLog({ logger, slowOperationMs: 20 });

    await fetch(`${url}/slow`, { headers: { traceparent: CALLER, 'x-correlation-id': 'corr-slow' } });

    // A 40 ms timer cannot finish within 20 ms: the warning does not depend on the machine's load.
    expect(lines()).toEqual([
      expect.objectContaining({
        level: 'warn',
        operation: 'query',
        name: 'GET /slow',
        status: 200,
        correlationId: 'corr-slow',
        traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
        message: expect.stringMatching(/^slow query: GET \/slow took \d+ ms$/),
      }),
    ]);
  });

  it('given a query within SLOW_OPERATION_MS, logs nothing', async () => {
    const { logger, lines } = capturingLogger();
    // A minute, so that no pause of a loaded machine makes the 40 ms request a slow one.
    configureOperationsLog({ logger, slowOperationMs: 60_000 });

    await fetch(`${url}/slow`);

    expect(lines()).toEqual([]);
  });
});
