import type { Envelope } from '@tradecore/eventing';
import { newMessageId } from '@tradecore/eventing';
import type request from 'supertest';
import { eventually, useStack } from './support/stack';

describe('user-account deletion, and login throttling per client address', () => {
  const suite = useStack({ LOGIN_MAX_ATTEMPTS_PER_ADDRESS: '6' });
  const { api } = suite;

  it('requests deletion, then erases personal data on DeleteUser and replies to the saga', async () => {
    const email = 'leaving@example.com';
    const registered = await api()
      .post('/api/auth/register')
      .send({ email, password: 'goodbye world 1', displayName: 'Leaving Soon' });
    const { userId } = registered.body;
    const login = await api().post('/api/auth/login').send({ email, password: 'goodbye world 1' });
    const bearer = { Authorization: `Bearer ${login.body.accessToken}` };

    const requested = await api().delete('/api/users/me').set(bearer);
    expect(requested.status).toBe(202);
    expect(requested.body).toMatchObject({ userId, status: 'deletion-requested' });
    const [deletionEvent] = (
      await suite.stack.db.query(
        `SELECT payload FROM user_account.events WHERE stream_id = $1 AND type = 'UserDeletionRequested'`,
        [userId],
      )
    ).rows;
    expect(deletionEvent.payload).toEqual({ userId, requestedAt: expect.any(String) });
    // Asking again is 409 until the request has revoked the token itself, here as on every service.
    await eventually(async () => {
      const again = (await api().delete('/api/users/me').set(bearer)).body.code;
      expect(['USER_DELETION_ALREADY_REQUESTED', 'TOKEN_REVOKED']).toContain(again);
      return again === 'TOKEN_REVOKED' ? true : undefined;
    });
    expect(
      (await api().post('/api/auth/refresh').send({ refreshToken: login.body.refreshToken })).status,
    ).toBe(401);

    const replies = await suite.stack.consume('saga.replies');
    const sagaId = newMessageId();
    const command: Envelope = {
      messageId: newMessageId(),
      type: 'DeleteUser',
      schemaVersion: 1,
      streamId: userId,
      streamVersion: 0,
      occurredAt: new Date().toISOString(),
      correlationId: newMessageId(),
      causationId: null,
      sagaId,
      sagaStep: 'DeleteUser',
      payload: { userId },
    };
    await suite.stack.produce('user-account.commands', command);
    const reply = await eventually(async () => replies.messages.find((message) => message.sagaId === sagaId));
    expect(reply).toMatchObject({
      type: 'SagaReply',
      streamId: sagaId,
      payload: {
        sagaId,
        step: 'DeleteUser',
        commandType: 'DeleteUser',
        commandMessageId: command.messageId,
        outcome: 'succeeded',
      },
    });

    const [record] = (
      await suite.stack.db.query('SELECT * FROM user_account.users WHERE user_id = $1', [userId])
    ).rows;
    expect(record).toMatchObject({
      user_id: userId,
      email: null,
      display_name: null,
      password_hash: null,
      status: 'deleted',
    });
    const history = (
      await suite.stack.db.query('SELECT payload::text || metadata::text AS text FROM user_account.events')
    ).rows
      .map((row: { text: string }) => row.text)
      .join('\n');
    expect(history).not.toContain(email);
    expect(history).not.toContain('Leaving Soon');
    const streamTypes = (
      await suite.stack.db.query(
        'SELECT type FROM user_account.events WHERE stream_id = $1 ORDER BY version',
        [userId],
      )
    ).rows.map((row: { type: string }) => row.type);
    expect(streamTypes).toContain('UserDeleted');
    expect((await api().post('/api/auth/login').send({ email, password: 'goodbye world 1' })).status).toBe(
      401,
    );
    const again = await api()
      .post('/api/auth/register')
      .send({ email, password: 'a new start 22', displayName: 'Back' });
    expect(again.status).toBe(201);
  });

  it('throttles logins from one client address across accounts, and a spoofed X-Forwarded-For does not escape it', async () => {
    const statuses: number[] = [];
    let blocked: request.Response | undefined;
    for (let attempt = 0; attempt < 10 && !blocked; attempt += 1) {
      const response = await api()
        .post('/api/auth/login')
        .set('X-Forwarded-For', `198.51.100.${attempt}`)
        .send({ email: `spray-${attempt}@example.com`, password: 'spray attempt 1' });
      statuses.push(response.status);
      if (response.status === 429) blocked = response;
    }
    expect(statuses.slice(0, -1).every((status) => status === 401)).toBe(true);
    expect(blocked?.body).toMatchObject({ code: 'TOO_MANY_LOGIN_ATTEMPTS', details: { scope: 'address' } });
    expect(Number(blocked?.headers['retry-after'])).toBeGreaterThan(0);
  });
});
