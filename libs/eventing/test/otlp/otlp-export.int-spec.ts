import { execFile } from 'node:child_process';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';

interface Received {
  readonly path: string;
  readonly body: string;
}

/** A stand-in OTLP/HTTP receiver (what Jaeger or a collector listens with on 4318). */
async function otlpReceiver(): Promise<{ server: Server; endpoint: string; received: Received[] }> {
  const received: Received[] = [];
  const server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push({ path: req.url ?? '', body: Buffer.concat(chunks).toString('latin1') });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { server, endpoint: `http://127.0.0.1:${port}`, received };
}

const exportASpan = (endpoint?: string) =>
  promisify(execFile)(
    process.execPath,
    ['--import', 'tsx', join(__dirname, 'export-a-span.ts'), ...(endpoint ? [endpoint] : [])],
    { cwd: join(__dirname, '../../../..'), timeout: 30_000 },
  );

describe('OTLP export', () => {
  let receiver: Awaited<ReturnType<typeof otlpReceiver>>;
  beforeAll(async () => (receiver = await otlpReceiver()));
  afterAll(() => receiver.server.close());

  it('with OTEL_EXPORTER_OTLP_ENDPOINT sends each hop as a span to <endpoint>/v1/traces', async () => {
    const { stdout } = await exportASpan(receiver.endpoint);
    expect(stdout).toBe('exported\n');
    expect(receiver.received).toEqual([
      { path: '/v1/traces', body: expect.stringContaining('command OpenAccount') },
    ]);
    expect(receiver.received[0].body).toContain('otlp-sample');
  });

  it('without it starts no SDK and sends nothing', async () => {
    receiver.received.length = 0;
    const { stdout } = await exportASpan();
    expect(stdout).toBe('tracing off\n');
    expect(receiver.received).toEqual([]);
  });
});
