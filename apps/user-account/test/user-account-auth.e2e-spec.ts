import type * as AuthTesting from '@tradecore/auth/testing';
import { forgedTokens } from './support/tokens';
import { eventually, type Stack, useStack } from './support/stack';

/** Every request goes through the real gateway to the real user-account, as a client would. */
describe('user-account through the api-gateway', () => {
  const suite = useStack({ LOGIN_MAX_FAILURES_PER_ACCOUNT: '3', LOGIN_THROTTLE_WINDOW_SECONDS: '5' });
  const { api } = suite;
  const secrets = new Set<string>();
  const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

  async function registerAndLogIn(email: string, password = 'correct horse 42') {
    secrets.add(password);
    const registered = await api().post('/api/auth/register').send({ email, password, displayName: 'Ada' });
    expect(registered.status).toBe(201);
    const login = await api().post('/api/auth/login').send({ email, password });
    expect(login.status).toBe(200);
    secrets.add(login.body.accessToken).add(login.body.refreshToken);
    return { userId: registered.body.userId as string, tokens: login.body, password };
  }

  it('runs the auth life cycle: register, log in, profile, refresh, change password, old refresh token refused, log out', async () => {
    const register = await api()
      .post('/api/auth/register')
      .send({ email: 'Ada@Example.com', password: 'correct horse 42', displayName: 'Ada Lovelace' });
    expect(register.status).toBe(201);
    expect(register.body).toEqual({ userId: expect.any(String), version: 1 });
    secrets.add('correct horse 42');

    const login = await api()
      .post('/api/auth/login')
      .send({ email: 'ada@example.com', password: 'correct horse 42' });
    expect(login.status).toBe(200);
    expect(login.body).toMatchObject({
      tokenType: 'Bearer',
      expiresIn: 900,
      refreshExpiresIn: expect.any(Number),
    });
    secrets.add(login.body.accessToken).add(login.body.refreshToken);

    const profile = await api().get('/api/users/me').set(bearer(login.body.accessToken));
    expect(profile.status).toBe(200);
    expect(profile.body).toEqual({
      userId: register.body.userId,
      email: 'ada@example.com',
      displayName: 'Ada Lovelace',
      role: 'user',
      status: 'active',
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });

    const refreshed = await api().post('/api/auth/refresh').send({ refreshToken: login.body.refreshToken });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.refreshToken).not.toBe(login.body.refreshToken);
    secrets.add(refreshed.body.accessToken).add(refreshed.body.refreshToken);
    expect((await api().get('/api/users/me').set(bearer(refreshed.body.accessToken))).status).toBe(200);

    const changed = await api()
      .post('/api/users/me/password')
      .set(bearer(refreshed.body.accessToken))
      .send({ currentPassword: 'correct horse 42', newPassword: 'battery staple 99' });
    expect(changed.status).toBe(200);
    secrets.add('battery staple 99').add(changed.body.accessToken).add(changed.body.refreshToken);

    const oldRefresh = await api()
      .post('/api/auth/refresh')
      .send({ refreshToken: refreshed.body.refreshToken });
    expect(oldRefresh.status).toBe(401);
    expect(oldRefresh.body).toMatchObject({ statusCode: 401, code: 'INVALID_REFRESH_TOKEN' });

    const oldPassword = await api()
      .post('/api/auth/login')
      .send({ email: 'ada@example.com', password: 'correct horse 42' });
    expect(oldPassword.status).toBe(401);

    const logout = await api().post('/api/auth/logout').send({ refreshToken: changed.body.refreshToken });
    expect(logout.status).toBe(204);
    const afterLogout = await api()
      .post('/api/auth/refresh')
      .send({ refreshToken: changed.body.refreshToken });
    expect(afterLogout.status).toBe(401);
  });

  it('revokes the whole token family when an already-rotated refresh token is used again', async () => {
    const { tokens } = await registerAndLogIn('reuse@example.com');
    const rotated = await api().post('/api/auth/refresh').send({ refreshToken: tokens.refreshToken });
    secrets.add(rotated.body.refreshToken).add(rotated.body.accessToken);

    const replay = await api().post('/api/auth/refresh').send({ refreshToken: tokens.refreshToken });
    expect(replay.status).toBe(401);
    expect(replay.body.code).toBe('REFRESH_TOKEN_REUSED');
    const legit = await api().post('/api/auth/refresh').send({ refreshToken: rotated.body.refreshToken });
    expect(legit.status).toBe(401);
  });

  it.each([
    [
      'POST',
      '/api/auth/register',
      { email: 'not-an-email', password: 'short', displayName: '' },
      ['email', 'password', 'displayName'],
    ],
    [
      'POST',
      '/api/auth/register',
      { email: 'x@example.com', password: 'onlyletterslong', displayName: 'X', role: 'admin' },
      ['password', 'role'],
    ],
    ['POST', '/api/auth/login', { email: 42 }, ['email', 'password']],
    ['POST', '/api/auth/refresh', {}, ['refreshToken']],
    ['POST', '/api/auth/logout', { refreshToken: 7 }, ['refreshToken']],
    ['PATCH', '/api/users/me', { email: 'nope', displayName: '' }, ['email', 'displayName']],
    [
      'POST',
      '/api/users/me/password',
      { currentPassword: '', newPassword: 'abc' },
      ['currentPassword', 'newPassword'],
    ],
    ['GET', '/api/users/not-a-uuid', undefined, ['userId']],
  ])('refuses bad input on %s %s with a 400 naming each field', async (method, path, body, fields) => {
    const admin = await registerAndLogIn(`admin-probe-${Math.random()}@example.com`);
    const token =
      path === '/api/users/not-a-uuid' ? adminToken(suite.stack, admin.userId) : admin.tokens.accessToken;
    const call = api()[method.toLowerCase() as 'post' | 'patch' | 'get'](path).set(bearer(token));
    const response = body === undefined ? await call : await call.send(body);
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ statusCode: 400, error: 'Bad Request', code: 'VALIDATION_FAILED' });
    for (const field of fields) {
      expect(response.body.message).toContain(field);
      expect(response.body.details).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
    }
  });

  it('answers a duplicate email with 409, whatever its case', async () => {
    await registerAndLogIn('twice@example.com');
    const again = await api()
      .post('/api/auth/register')
      .send({ email: 'TWICE@example.com', password: 'another pass 123', displayName: 'Twin' });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ code: 'EMAIL_ALREADY_REGISTERED', details: { field: 'email' } });
  });

  it('answers a wrong password and an unknown email with the same 401', async () => {
    await registerAndLogIn('known@example.com');
    const wrong = await api()
      .post('/api/auth/login')
      .send({ email: 'known@example.com', password: 'wrong password 1' });
    const unknown = await api()
      .post('/api/auth/login')
      .send({ email: 'nobody@example.com', password: 'wrong password 1' });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body).toEqual(unknown.body);
    expect(wrong.body).toMatchObject({ code: 'INVALID_CREDENTIALS' });
  });

  it('refuses tampered, expired, alg none, HS256-with-public-key and wrong-key tokens with 401', async () => {
    const victim = await registerAndLogIn('victim@example.com');
    const attacker = await registerAndLogIn('attacker@example.com');
    const forged = forgedTokens(
      attacker.tokens.accessToken,
      suite.stack.keys.privateKeyPem,
      suite.stack.keys.publicKeyPem,
      victim.userId,
    );
    for (const [kind, token] of Object.entries(forged)) {
      const response = await api().get('/api/users/me').set(bearer(token));
      expect({ kind, status: response.status, code: response.body.code }).toEqual({
        kind,
        status: 401,
        code: 'INVALID_TOKEN',
      });
    }
    const missing = await api().get('/api/users/me');
    expect(missing.body).toMatchObject({ statusCode: 401, code: 'MISSING_TOKEN' });
  });

  it('never lets one user read or change another user’s data', async () => {
    const alice = await registerAndLogIn('alice@example.com', 'alice secret 111');
    const bob = await registerAndLogIn('bob@example.com', 'bob secret 2222');

    const asBob = await api().get(`/api/users/${alice.userId}`).set(bearer(bob.tokens.accessToken));
    expect(asBob.status).toBe(403);
    expect(asBob.body.code).toBe('FORBIDDEN');

    const spoofed = await api()
      .get('/api/users/me')
      .set({ ...bearer(bob.tokens.accessToken), 'x-user-id': alice.userId });
    expect(spoofed.body.userId).toBe(bob.userId);

    await api()
      .patch('/api/users/me')
      .set(bearer(bob.tokens.accessToken))
      .send({ displayName: 'Bob B.' })
      .expect(200);
    const aliceProfile = await api().get('/api/users/me').set(bearer(alice.tokens.accessToken));
    expect(aliceProfile.body).toMatchObject({
      userId: alice.userId,
      email: 'alice@example.com',
      displayName: 'Ada',
    });

    const stolenEmail = await api()
      .patch('/api/users/me')
      .set(bearer(bob.tokens.accessToken))
      .send({ email: 'alice@example.com' });
    expect(stolenEmail.status).toBe(409);

    const bobRefreshOnAlice = await api()
      .post('/api/users/me/password')
      .set(bearer(bob.tokens.accessToken))
      .send({
        currentPassword: alice.password,
        newPassword: 'taken over 123',
      });
    expect(bobRefreshOnAlice.status).toBe(422);
    expect(bobRefreshOnAlice.body.code).toBe('CURRENT_PASSWORD_INCORRECT');
  });

  it('lets an admin read any profile', async () => {
    const someone = await registerAndLogIn('someone@example.com');
    const response = await api()
      .get(`/api/users/${someone.userId}`)
      .set(bearer(adminToken(suite.stack, 'any-admin')));
    expect(response.status).toBe(200);
    expect(response.body.email).toBe('someone@example.com');
  });

  it('throttles repeated failed logins for one account with 429 and Retry-After', async () => {
    await registerAndLogIn('throttled@example.com');
    const attempt = () =>
      api().post('/api/auth/login').send({ email: 'throttled@example.com', password: 'guess number 1' });
    for (let i = 0; i < 3; i += 1) expect((await attempt()).status).toBe(401);
    const blocked = await attempt();
    expect(blocked.status).toBe(429);
    expect(blocked.body).toMatchObject({ code: 'TOO_MANY_LOGIN_ATTEMPTS', details: { scope: 'account' } });
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    const right = await api()
      .post('/api/auth/login')
      .send({ email: 'throttled@example.com', password: 'correct horse 42' });
    expect(right.status).toBe(429);
  });

  it('publishes its signing key as a JWKS that verifies its tokens', async () => {
    const response = await api().get('/api/auth/.well-known/jwks.json');
    expect(response.status).toBe(200);
    expect(response.body.keys).toEqual([
      expect.objectContaining({ kty: 'RSA', alg: 'RS256', use: 'sig', kid: expect.any(String) }),
    ]);
  });

  it('never writes passwords or tokens to logs, events, Kafka or responses', async () => {
    const published = await suite.stack.consume('user-account.events');
    const { userId, tokens } = await registerAndLogIn('audit@example.com', 'very secret pass 7');
    await eventually(async () =>
      published.messages.some((message) => message.streamId === userId) ? true : undefined,
    );
    const onKafka = JSON.stringify(published.messages);
    const profile = await api().get('/api/users/me').set(bearer(tokens.accessToken));
    expect(JSON.stringify(profile.body)).not.toMatch(/password|hash|\$argon2/i);

    const logs = suite.stack.userAccount.output() + suite.stack.gateway.output();
    expect(logs).toContain('/api/auth/login');
    const stored = await suite.stack.db.query(
      `SELECT type || payload::text || metadata::text AS text FROM user_account.events
       UNION ALL SELECT envelope::text || headers::text FROM user_account.outbox
       UNION ALL SELECT state::text FROM user_account.snapshots`,
    );
    const history = stored.rows.map((row: { text: string }) => row.text).join('\n');
    expect(history).toContain('UserRegistered');
    const leaks = [...secrets].filter(
      (secret) => logs.includes(secret) || history.includes(secret) || onKafka.includes(secret),
    );
    expect(leaks).toEqual([]);
    expect(history + onKafka).not.toMatch(/\$argon2|@example\.com/);
  });
});

function adminToken(stack: Stack, userId: string): string {
  const { signTestToken } = jest.requireActual<typeof AuthTesting>('@tradecore/auth/testing');
  return signTestToken(stack.keys.privateKeyPem, { userId, role: 'admin' });
}
