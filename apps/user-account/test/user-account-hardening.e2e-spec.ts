import { request as httpRequest } from 'node:http';
import request from 'supertest';
import { TcpProxy } from '../../../test/support/tcp-proxy';
import { eventually, type Stack, startStack, useStack } from './support/stack';

const ADMIN_URL = process.env.DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/tradecore_test';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

interface Answer {
  readonly status: number;
  readonly body: { code?: string; details?: unknown } | undefined;
}

/** A request from one of the machine's other loopback addresses, as a second client on the host would send it. */
function callFrom(
  localAddress: string,
  url: string,
  path: string,
  body: object,
  headers: Record<string, string> = {},
): Promise<Answer> {
  const payload = JSON.stringify(body);
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const sent = httpRequest(
      {
        host: target.hostname,
        port: target.port,
        method: 'POST',
        path,
        localAddress,
        agent: false,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(payload),
          ...headers,
        },
      },
      (response) => {
        let text = '';
        response.on('data', (chunk: Buffer) => (text += chunk.toString()));
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, body: text ? JSON.parse(text) : undefined }),
        );
      },
    );
    sent.on('error', reject);
    sent.end(payload);
  });
}

describe('user-account under abuse, through the api-gateway', () => {
  const suite = useStack({
    LOGIN_MAX_FAILURES_PER_ACCOUNT: '3',
    LOGIN_MAX_ATTEMPTS_PER_ADDRESS: '100',
    LOGIN_THROTTLE_WINDOW_SECONDS: '60',
  });
  const { api } = suite;
  const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

  async function register(email: string, password = 'correct horse 42'): Promise<void> {
    const registered = await api().post('/api/auth/register').send({ email, password, displayName: 'Ada' });
    expect(registered.status).toBe(201);
  }

  it('locks an account after its allowed failures even when 40 wrong passwords arrive at once', async () => {
    await register('parallel@example.com');
    const answers = await Promise.all(
      Array.from({ length: 40 }, (_, attempt) =>
        api()
          .post('/api/auth/login')
          .send({ email: 'parallel@example.com', password: `guess number ${attempt}` }),
      ),
    );
    const statuses = answers.map((answer) => answer.status);
    expect(statuses.filter((status) => status === 401)).toHaveLength(3);
    expect(statuses.filter((status) => status === 429)).toHaveLength(37);
    const right = await api()
      .post('/api/auth/login')
      .send({ email: 'parallel@example.com', password: 'correct horse 42' });
    expect(right.status).toBe(429);
  });

  it('throttles wrong current passwords in a password change like failed logins', async () => {
    await register('changer@example.com');
    const login = await api()
      .post('/api/auth/login')
      .send({ email: 'changer@example.com', password: 'correct horse 42' });
    const change = (currentPassword: string) =>
      api()
        .post('/api/users/me/password')
        .set(bearer(login.body.accessToken))
        .send({ currentPassword, newPassword: 'battery staple 99' });
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const wrong = await change(`guess number ${attempt}`);
      expect(wrong.status).toBe(422);
      expect(wrong.body.code).toBe('CURRENT_PASSWORD_INCORRECT');
    }
    const blocked = await change('guess number 4');
    expect(blocked.status).toBe(429);
    expect(blocked.body).toMatchObject({ code: 'TOO_MANY_PASSWORD_ATTEMPTS', details: { scope: 'account' } });
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    expect((await change('correct horse 42')).status).toBe(429);
    const logIn = await api()
      .post('/api/auth/login')
      .send({ email: 'changer@example.com', password: 'correct horse 42' });
    expect(logIn.status).toBe(429);
  });

  it.each(['/api/auth/refresh', '/api/auth/logout'])(
    'refuses a refresh token with a malformed id on %s with 401, not 500',
    async (path) => {
      const secret = 'A'.repeat(43);
      for (const id of [
        '-'.repeat(36),
        'ffffffff-ffff-ffff-ffff-fffffffffff-',
        '0123456789abcdef0123456789abcdef----',
      ]) {
        const response = await api()
          .post(path)
          .send({ refreshToken: `${id}.${secret}` });
        expect({ id, status: response.status, code: response.body.code }).toEqual({
          id,
          status: 401,
          code: 'INVALID_REFRESH_TOKEN',
        });
      }
    },
  );

  it('does not believe X-Forwarded-For from a direct caller: spoofing it does not escape the address throttle', async () => {
    let blocked: Answer | undefined;
    for (let attempt = 0; attempt < 110 && !blocked; attempt += 1) {
      const answer = await callFrom(
        '127.0.0.2',
        suite.stack.userAccount.url,
        '/auth/login',
        { email: `direct-${attempt}@example.com`, password: 'spray attempt 1' },
        { 'X-Forwarded-For': `203.0.113.${attempt % 250}` },
      );
      if (answer.status === 429) blocked = answer;
      else expect(answer.status).toBe(401);
    }
    expect(blocked?.body).toMatchObject({ code: 'TOO_MANY_LOGIN_ATTEMPTS', details: { scope: 'address' } });
  });

  it('refuses a body that is not JSON with 400 MALFORMED_JSON', async () => {
    const response = await api()
      .post('/api/auth/login')
      .set('Content-Type', 'application/json')
      .send('{"email":');
    expect(response.status).toBe(400);
    expect(response.body.code).toBe('MALFORMED_JSON');
  });

  it('refuses abusive bodies with 400 when called directly, not only through the gateway', async () => {
    const direct = () => request(suite.stack.userAccount.url);
    const deep = `${'{"a":['.repeat(5000)}1${']}'.repeat(5000)}`;
    const tooDeep = await direct().post('/auth/login').set('Content-Type', 'application/json').send(deep);
    expect(tooDeep.status).toBe(400);
    expect(tooDeep.body.code).toBe('BODY_TOO_DEEP');
    const nul = await direct().post('/auth/login').send({ email: 'a\u0000@example.com', password: 'x' });
    expect(nul.status).toBe(400);
    expect(nul.body).toMatchObject({ code: 'INVALID_TEXT', details: { field: '$.email' } });
  });

  it('listens on the loopback interface only by default', async () => {
    const port = new URL(suite.stack.userAccount.url).port;
    for (const url of [suite.stack.userAccount.url, suite.stack.gateway.url])
      expect((await fetch(`${url}/health/live`)).status).toBe(200);
    for (const url of [
      `http://127.0.0.2:${port}`,
      suite.stack.gateway.url.replace('127.0.0.1', '127.0.0.2'),
    ]) {
      const refused = await fetch(`${url}/health/live`).then(
        () => 'answered',
        (error: Error & { cause?: { code?: string } }) => error.cause?.code,
      );
      expect({ url, refused }).toEqual({ url, refused: 'ECONNREFUSED' });
    }
  });
});

describe('user-account when PostgreSQL or Redis is unreachable, through the api-gateway', () => {
  let stack: Stack;
  let database: TcpProxy;
  let redis: TcpProxy;
  const api = () => request(stack.gateway.url);

  beforeAll(async () => {
    const databaseHop = await TcpProxy.inFrontOf(ADMIN_URL);
    const redisHop = await TcpProxy.inFrontOf(REDIS_URL);
    [database, redis] = [databaseHop.proxy, redisHop.proxy];
    stack = await startStack({ DATABASE_ADMIN_URL: databaseHop.url, REDIS_URL: redisHop.url });
  }, 90_000);

  afterAll(async () => {
    await stack?.stop();
    await database?.stop();
    await redis?.stop();
  });

  async function expectUnavailable(call: () => Promise<request.Response>): Promise<void> {
    const response = await call();
    expect(response.status).toBe(503);
    expect(response.body).toMatchObject({ statusCode: 503, code: 'DEPENDENCY_UNAVAILABLE' });
    expect(response.body.message).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|redis|postgres|max retries/i);
    expect(Number(response.headers['retry-after'])).toBeGreaterThan(0);
  }

  it('answers 503 with Retry-After while Redis is down, and serves again once it is back', async () => {
    await api()
      .post('/api/auth/register')
      .send({ email: 'redis@example.com', password: 'correct horse 42', displayName: 'R' });
    const logIn = () =>
      api().post('/api/auth/login').send({ email: 'redis@example.com', password: 'correct horse 42' });
    await redis.stop();
    await expectUnavailable(logIn);
    await redis.start();
    await eventually(async () => ((await logIn()).status === 200 ? true : undefined));
  });

  it('answers 503 with Retry-After while PostgreSQL is down, and serves again once it is back', async () => {
    const registerAs = (email: string) =>
      api().post('/api/auth/register').send({ email, password: 'correct horse 42', displayName: 'P' });
    await database.stop();
    await expectUnavailable(() => registerAs('postgres-down@example.com'));
    await database.start();
    await eventually(async () =>
      (await registerAs('postgres-back@example.com')).status === 201 ? true : undefined,
    );
  });
});
