import type { Response } from 'supertest';
import { useStack } from './support/stack';

const BURST = 20;
const password = (index: number) => `correct horse ${index}`;

describe('user-account under a burst of sign-ups and logins, through the api-gateway', () => {
  const suite = useStack({
    PASSWORD_HASH_CONCURRENCY: '1',
    PASSWORD_HASH_QUEUE_LIMIT: '2',
    PASSWORD_HASH_MAX_WAIT_MS: '500',
    // Every request here comes from 127.0.0.1; the address throttle is not what this spec is about.
    LOGIN_MAX_ATTEMPTS_PER_ADDRESS: '1000',
    // One guess per account: a shed login that kept its slot would leave the retry refused with 429.
    LOGIN_MAX_FAILURES_PER_ACCOUNT: '1',
  });
  const { api } = suite;

  /** Each answer the accepted status or 503 SERVICE_OVERLOADED with a Retry-After in seconds; nothing else. */
  function expectAcceptedOrShed(answers: Response[], accepted: number): Response[] {
    const unexpected = answers
      .filter(
        (answer) =>
          answer.status !== accepted &&
          !(
            answer.status === 503 &&
            answer.body.code === 'SERVICE_OVERLOADED' &&
            Number(answer.headers['retry-after']) >= 1
          ),
      )
      .map((answer) => ({
        status: answer.status,
        body: answer.body,
        retryAfter: answer.headers['retry-after'],
      }));
    expect(unexpected).toEqual([]);
    return answers.filter((answer) => answer.status === 503);
  }

  const wait = (answer: Response) =>
    new Promise((resolve) => setTimeout(resolve, Number(answer.headers['retry-after']) * 1000));

  it('answers a burst of sign-ups with 201 or 503 + Retry-After, stores only the accepted ones, and takes each back on retry', async () => {
    const register = (index: number) =>
      api()
        .post('/api/auth/register')
        .send({ email: `burst-${index}@example.com`, password: password(index), displayName: 'Burst' });

    const answers = await Promise.all(Array.from({ length: BURST }, (_, index) => register(index)));

    const shed = expectAcceptedOrShed(answers, 201);
    expect(shed.length).toBeGreaterThan(0);
    expect(shed[0].body).toMatchObject({ statusCode: 503, details: { retryAfterSeconds: 1 } });
    const stored = await suite.stack.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM user_account.users WHERE email LIKE 'burst-%'`,
    );
    expect(stored.rows[0].n).toBe(BURST - shed.length);

    await wait(shed[0]);
    for (const [index, answer] of answers.entries()) {
      if (answer.status !== 503) continue;
      expect((await register(index)).status).toBe(201);
    }
    const after = await suite.stack.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM user_account.users WHERE email LIKE 'burst-%'`,
    );
    expect(after.rows[0].n).toBe(BURST);
  }, 120_000);

  it('answers a burst of logins with 200 or 503 + Retry-After; a shed login spends no guess, so its retry logs in', async () => {
    const logIn = (index: number) =>
      api()
        .post('/api/auth/login')
        .send({ email: `burst-${index}@example.com`, password: password(index) });

    const answers = await Promise.all(Array.from({ length: BURST }, (_, index) => logIn(index)));

    const shed = expectAcceptedOrShed(answers, 200);
    expect(shed.length).toBeGreaterThan(0);
    await wait(shed[0]);
    for (const [index, answer] of answers.entries()) {
      if (answer.status !== 503) continue;
      const retried = await logIn(index);
      expect(retried.status).toBe(200);
      expect(retried.body.accessToken).toEqual(expect.any(String));
    }
  }, 120_000);
});
