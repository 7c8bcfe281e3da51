import { v7 as uuidv7 } from 'uuid';
import {
  CLOSE_TOKEN_EXPIRED,
  CLOSE_TOKEN_REVOKED,
  MAX_SYMBOLS_PER_MESSAGE,
} from '../src/features/live-updates/live-updates.gateway';
import { WS_MAX_PAYLOAD_BYTES } from '../src/infrastructure/authenticated-ws.adapter';
import { openSocket, useVirtualBroker } from './virtual-broker-test-kit';

const TRADER = 'trader-live';

describe('live updates socket limits', () => {
  const suite = useVirtualBroker(TRADER);
  const { socketUrl } = suite;

  it('given a subscribe naming one symbol many times, subscribes it once and sends one quote', async () => {
    const socket = await openSocket(socketUrl(), ['bearer', suite.vb.tokenFor(TRADER)]);
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
    const socket = await openSocket(socketUrl(), ['bearer', suite.vb.tokenFor(TRADER)]);
    socket.send('subscribe', { symbols: Array(MAX_SYMBOLS_PER_MESSAGE + 1).fill('NOPE') });
    const refused = await socket.next((m) => m.event === 'error');

    expect(refused.data).toMatchObject({ code: 'TOO_MANY_SYMBOLS' });
    expect(JSON.stringify(refused).length).toBeLessThan(200);
    socket.close();
  });

  it('closes the socket with 1009 when a frame is larger than the limit', async () => {
    const socket = await openSocket(socketUrl(), ['bearer', suite.vb.tokenFor(TRADER)]);
    socket.socket.send('x'.repeat(WS_MAX_PAYLOAD_BYTES + 1));

    expect((await socket.closed).code).toBe(1009);
  });
});

describe('live updates socket lifetime', () => {
  const suite = useVirtualBroker(TRADER);
  const { socketUrl, http } = suite;

  it('closes a socket with 4401 when its access token expires', async () => {
    const token = suite.vb.tokenFor('trader-expiring', 'user', { expiresInSeconds: 2 });
    const socket = await openSocket(socketUrl(), ['bearer', token]);

    expect(await socket.closed).toEqual({
      code: CLOSE_TOKEN_EXPIRED,
      reason: 'access token expired; refresh it and reconnect',
    });
  });

  it("given a logout, closes that session's sockets with 4403 and refuses its token, other sessions stay", async () => {
    const userId = `trader-${uuidv7()}`;
    const ended = suite.vb.tokenFor(userId, 'user', { sessionId: uuidv7() });
    const kept = suite.vb.tokenFor(userId, 'user', { sessionId: uuidv7() });
    const endedSocket = await openSocket(socketUrl(), ['bearer', ended]);
    const keptSocket = await openSocket(socketUrl(), ['bearer', kept]);
    await endedSocket.next((m) => m.event === 'ready');

    await suite.vb.userAccountEvent('UserSessionEnded', userId, {
      sessionId: sessionOf(ended),
      reason: 'logged-out',
      endedAt: new Date().toISOString(),
    });

    expect((await endedSocket.closed).code).toBe(CLOSE_TOKEN_REVOKED);
    await expect(openSocket(socketUrl(), ['bearer', ended])).rejects.toThrow(/401/);
    const refused = await http().get('/accounts').set('Authorization', `Bearer ${ended}`);
    expect(refused.body).toMatchObject({ statusCode: 401, code: 'TOKEN_REVOKED' });
    await http().get('/accounts').set('Authorization', `Bearer ${kept}`).expect(200);
    expect(keptSocket.socket.readyState).toBe(keptSocket.socket.OPEN);
    keptSocket.close();
  });

  it('given a deletion request, closes every socket of the user and refuses tokens issued before it', async () => {
    const userId = `trader-${uuidv7()}`;
    const sockets = [
      await openSocket(socketUrl(), ['bearer', suite.vb.tokenFor(userId, 'user', { sessionId: uuidv7() })]),
      await openSocket(
        `${socketUrl()}?access_token=${suite.vb.tokenFor(userId, 'user', { sessionId: uuidv7() })}`,
      ),
    ];
    const bystander = await openSocket(socketUrl(), ['bearer', suite.vb.tokenFor(`trader-${uuidv7()}`)]);

    await suite.vb.userAccountEvent('UserDeletionRequested', userId, {
      connectionIds: [],
      requestedAt: new Date(Date.now() + 1000).toISOString(),
    });

    for (const socket of sockets) expect((await socket.closed).code).toBe(CLOSE_TOKEN_REVOKED);
    await expect(openSocket(socketUrl(), ['bearer', suite.vb.tokenFor(userId)])).rejects.toThrow(/401/);
    expect(bystander.socket.readyState).toBe(bystander.socket.OPEN);
    bystander.close();
  });
});

function sessionOf(token: string): string {
  return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()).sid;
}
