import { MAX_SYMBOLS_PER_MESSAGE } from '../src/features/live-updates/live-updates.gateway';
import { WS_MAX_PAYLOAD_BYTES } from '../src/infrastructure/authenticated-ws.adapter';
import { openSocket, startVirtualBroker } from './virtual-broker-test-kit';

type Harness = Awaited<ReturnType<typeof startVirtualBroker>>;

const TRADER = 'trader-live';

describe('live updates socket limits', () => {
  let vb: Harness;
  const socketUrl = () => `ws://127.0.0.1:${vb.port}/ws`;

  beforeAll(async () => {
    vb = await startVirtualBroker();
  });

  afterAll(async () => {
    await vb?.stop();
  });

  it('given a subscribe naming one symbol many times, subscribes it once and sends one quote', async () => {
    const socket = await openSocket(socketUrl(), ['bearer', vb.tokenFor(TRADER)]);
    socket.send('subscribe', { symbols: Array(MAX_SYMBOLS_PER_MESSAGE).fill('AAPL') });
    const subscribed = await socket.next((m) => m.event === 'subscribed');
    // The answer to a later message comes after every quote the first one caused.
    socket.send('subscribe', { symbols: ['AAPL'] });
    await socket.next((m) => m.event === 'subscribed' && m !== subscribed);

    expect(subscribed.data).toEqual({ symbols: ['AAPL'] });
    expect(socket.received.filter((m) => m.event === 'quote')).toHaveLength(1);
    socket.close();
  });

  it('refuses a symbols list over the limit with TOO_MANY_SYMBOLS, without echoing it', async () => {
    const socket = await openSocket(socketUrl(), ['bearer', vb.tokenFor(TRADER)]);
    socket.send('subscribe', { symbols: Array(MAX_SYMBOLS_PER_MESSAGE + 1).fill('NOPE') });
    const refused = await socket.next((m) => m.event === 'error');

    expect(refused.data).toMatchObject({ code: 'TOO_MANY_SYMBOLS' });
    expect(JSON.stringify(refused).length).toBeLessThan(200);
    socket.close();
  });

  it('closes the socket with 1009 when a frame is larger than the limit', async () => {
    const socket = await openSocket(socketUrl(), ['bearer', vb.tokenFor(TRADER)]);
    socket.socket.send('x'.repeat(WS_MAX_PAYLOAD_BYTES + 1));

    expect((await socket.closed).code).toBe(1009);
  });
});
