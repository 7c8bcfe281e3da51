import { randomBytes } from 'node:crypto';
import WebSocket from 'ws';
import { eventually } from '@tradecore/eventing/testing';
import { useLaunchedSuite } from '../support/launched-suite';

// `npm start` as users run it: logging out or asking for deletion ends the old access token on
// every service and closes its sockets, through Kafka, long before the token would expire.
const GATEWAY_PORT = 3500;
const DATABASE = 'tradecore_revocation_test';
const base = `http://127.0.0.1:${GATEWAY_PORT}`;

interface Login {
  readonly accessToken: string;
  readonly refreshToken: string;
}

async function call(method: string, path: string, token?: string, body?: unknown) {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token && { authorization: `Bearer ${token}` }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

function openSocket(token: string) {
  const socket = new WebSocket(`ws://127.0.0.1:${GATEWAY_PORT}/api/virtual-broker/ws`, ['bearer', token]);
  const messages: { event: string }[] = [];
  socket.on('message', (raw) => messages.push(JSON.parse(String(raw))));
  const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
  const ready = new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    const check = () => (messages.some((m) => m.event === 'ready') ? resolve() : undefined);
    socket.on('message', check);
  });
  return { ready, closed };
}

/** broker-connection and virtual-broker both refuse the token as revoked. */
const refusedEverywhere = (token: string) => async () => {
  const answers = await Promise.all([
    call('GET', '/api/broker-connections', token),
    call('GET', '/api/virtual-broker/accounts', token),
  ]);
  return answers.every((answer) => answer.status === 401 && answer.body?.code === 'TOKEN_REVOKED');
};

const acceptedEverywhere = async (token: string) =>
  [
    (await call('GET', '/api/broker-connections', token)).status,
    (await call('GET', '/api/virtual-broker/accounts', token)).status,
  ].every((status) => status === 200);

describe('access tokens of a logged-out or deleted user', () => {
  const email = `revoked-${randomBytes(4).toString('hex')}@example.com`;
  let password = 'correct horse battery staple';

  const logIn = async (): Promise<Login> =>
    (await call('POST', '/api/auth/login', undefined, { email, password })).body;

  useLaunchedSuite({ database: DATABASE, gatewayPort: GATEWAY_PORT, brokerPort: 9592, redisDb: 8 });

  beforeAll(async () => {
    const registered = await call('POST', '/api/auth/register', undefined, {
      email,
      password,
      displayName: 'Revoked',
    });
    expect(registered.status).toBe(201);
  });

  it("after logout, that login's token is refused by every service and its socket closed; another login keeps working", async () => {
    const ended = await logIn();
    const kept = await logIn();
    expect(await acceptedEverywhere(ended.accessToken)).toBe(true);
    const socket = openSocket(ended.accessToken);
    await socket.ready;

    expect(
      (await call('POST', '/api/auth/logout', undefined, { refreshToken: ended.refreshToken })).status,
    ).toBe(204);

    expect(await socket.closed).toBe(4403);
    await eventually(refusedEverywhere(ended.accessToken));
    expect(await acceptedEverywhere(kept.accessToken)).toBe(true);
  }, 120_000);

  it("after a password change, every other login's token is refused and its socket closed; the new one works", async () => {
    const other = await logIn();
    const changing = await logIn();
    const socket = openSocket(other.accessToken);
    await socket.ready;

    const changed = await call('POST', '/api/users/me/password', changing.accessToken, {
      currentPassword: password,
      newPassword: 'another horse battery staple',
    });
    expect(changed.status).toBe(200);
    password = 'another horse battery staple';

    expect(await socket.closed).toBe(4403);
    await eventually(refusedEverywhere(other.accessToken));
    await eventually(refusedEverywhere(changing.accessToken));
    expect(await acceptedEverywhere(changed.body.accessToken)).toBe(true);
  }, 120_000);

  it('after a deletion request, every earlier token of the user is refused and their sockets closed', async () => {
    const first = await logIn();
    const second = await logIn();
    const sockets = [openSocket(first.accessToken), openSocket(second.accessToken)];
    await Promise.all(sockets.map((socket) => socket.ready));

    expect((await call('DELETE', '/api/users/me', first.accessToken)).status).toBe(202);

    expect(await Promise.all(sockets.map((socket) => socket.closed))).toEqual([4403, 4403]);
    await eventually(refusedEverywhere(first.accessToken));
    await eventually(refusedEverywhere(second.accessToken));
  }, 120_000);
});
