import { randomBytes, randomInt } from 'node:crypto';
import { type ChaosStack, eventually, type HttpResult, newLoopbackAddress } from './chaos-stack';

export interface ChaosUser {
  readonly token: string;
  readonly userId: string;
  readonly email: string;
  readonly password: string;
}

export interface Endpoint {
  readonly method: string;
  readonly path: string;
}

export const TERMINAL = ['COMPLETED', 'COMPENSATED', 'FAILED', 'ABORTED'];

/**
 * A user's view of the running suite through the gateway. It remembers every error body it
 * received and every secret it handed over, so the leak check knows what to look for.
 */
export class ChaosClient {
  readonly errorResponses: string[] = [];
  readonly secretsGiven: string[] = [];
  /** How often a request was answered 503 with Retry-After and sent again. */
  shedAnswers = 0;

  constructor(private readonly stack: ChaosStack) {}

  async http(
    method: string,
    path: string,
    token?: string,
    body?: unknown,
    raw?: string,
    options?: Parameters<ChaosStack['http']>[5],
  ): Promise<HttpResult> {
    const result = await this.stack.http(method, path, token, body, raw, options);
    if (result.status >= 400) this.errorResponses.push(result.text);
    return result;
  }

  /** Every operation of the merged OpenAPI document, as clients see it. */
  async endpoints(): Promise<Endpoint[]> {
    const docs = await this.http('GET', '/docs-json');
    return Object.entries(docs.body.paths as Record<string, Record<string, unknown>>).flatMap(
      ([path, methods]) =>
        Object.keys(methods)
          .filter((method) => ['get', 'post', 'put', 'patch', 'delete'].includes(method))
          .map((method) => ({ method: method.toUpperCase(), path })),
    );
  }

  async signUp(): Promise<ChaosUser> {
    const email = `chaos-${randomBytes(5).toString('hex')}@example.com`;
    const password = `Pw-${randomBytes(9).toString('hex')}`;
    this.secretsGiven.push(password);
    const registered = await this.retryingWhenShed(() =>
      this.http('POST', '/api/auth/register', undefined, { email, password, displayName: 'Chaos Tester' }),
    );
    expect(registered.status).toBe(201);
    // From an address of its own, as separate people would: the suite's many sign-ups must not spend
    // the per-address login budget that the throttling scenario (and the outages after it) rely on.
    const from = newLoopbackAddress();
    const login = await this.retryingWhenShed(() =>
      this.http('POST', '/api/auth/login', undefined, { email, password }, undefined, { from }),
    );
    expect(login.status).toBe(200);
    return { token: login.body.accessToken, userId: registered.body.userId, email, password };
  }

  /**
   * As a real client treats `503` with `Retry-After` (user-account shedding a burst of password
   * hashes): waits the advertised seconds, plus jitter so a shed burst does not return as one,
   * and tries again, a bounded number of times. Any other answer is returned as it came.
   */
  async retryingWhenShed(send: () => Promise<HttpResult>, attempts = 8): Promise<HttpResult> {
    for (let attempt = 1; ; attempt += 1) {
      const answer = await send();
      const retryAfter = Number(answer.headers?.['retry-after']);
      if (answer.status !== 503 || !(retryAfter > 0) || attempt === attempts) return answer;
      this.shedAnswers += 1;
      await new Promise((resolve) => setTimeout(resolve, retryAfter * 1000 + randomInt(0, 1000)));
    }
  }

  async requestVirtualConnection(token: string, startingCash = '100000.00'): Promise<string> {
    const requested = await this.http('POST', '/api/broker-connections', token, {
      broker: 'virtual',
      mode: 'paper',
      paperAccounts: { count: 1, startingCash },
    });
    expect(requested.status).toBe(202);
    return requested.body.connectionId;
  }

  async connectionStatus(token: string, id: string): Promise<string | undefined> {
    return (await this.stack.http('GET', `/api/broker-connections/${id}`, token)).body?.status;
  }

  connected(token: string, id: string, timeoutMs = 90_000): Promise<boolean> {
    return eventually(async () => {
      const status = await this.connectionStatus(token, id);
      if (status === 'CONNECTED') return true;
      throw new Error(`connection ${id} is ${status}`);
    }, timeoutMs);
  }

  async connectVirtual(token: string): Promise<string> {
    const id = await this.requestVirtualConnection(token);
    await this.connected(token, id);
    return id;
  }

  async paperAccountOf(token: string): Promise<string> {
    const accounts = (await this.stack.http('GET', '/api/virtual-broker/accounts', token)).body;
    return (Array.isArray(accounts) ? accounts : accounts.accounts)[0].accountId;
  }

  async sagasOf(aggregateId: string): Promise<{ type: string; status: string; id: string }[]> {
    return (await this.stack.http('GET', `/ops/sagas?aggregateId=${aggregateId}`, this.stack.adminToken()))
      .body?.sagas;
  }

  /** Every saga of each aggregate in a terminal state (and at least one saga each), within one deadline for all. */
  async settledSagas(aggregateIds: readonly string[], timeoutMs = 180_000): Promise<void> {
    const waiting = new Set(aggregateIds);
    await eventually(async () => {
      for (const id of [...waiting]) {
        const sagas = await this.sagasOf(id);
        if (sagas?.length && sagas.every((saga) => TERMINAL.includes(saga.status))) waiting.delete(id);
      }
      if (waiting.size === 0) return true;
      const [first] = waiting;
      const sagas = await this.sagasOf(first);
      throw new Error(
        `${waiting.size} aggregates with sagas in flight, e.g. ${first}: ${JSON.stringify(sagas)}`,
      );
    }, timeoutMs);
  }
}
