import { randomBytes } from 'node:crypto';

export interface User {
  readonly email: string;
  readonly password: string;
  readonly token: string;
}

/** What a user of the suite does, over HTTP through the gateway. */
export class GatewayClient {
  constructor(readonly baseUrl: string) {}

  async call(method: string, path: string, token?: string, body?: unknown) {
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...(token && { authorization: `Bearer ${token}` }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return {
      status: response.status,
      correlationId: response.headers.get('x-correlation-id') ?? '',
      body: text ? JSON.parse(text) : undefined,
    };
  }

  async signUp(displayName: string): Promise<User> {
    const email = `ui-${randomBytes(4).toString('hex')}@example.com`;
    const password = 'correct horse battery staple';
    const registered = await this.call('POST', '/api/auth/register', undefined, {
      email,
      password,
      displayName,
    });
    if (registered.status !== 201)
      throw new Error(`register: ${registered.status} ${JSON.stringify(registered.body)}`);
    return { email, password, token: await this.logIn(email, password) };
  }

  async logIn(email: string, password: string): Promise<string> {
    const login = await this.call('POST', '/api/auth/login', undefined, { email, password });
    if (login.status !== 200) throw new Error(`login: ${login.status} ${JSON.stringify(login.body)}`);
    return login.body.accessToken;
  }

  /** Connects the paper broker; the answer's correlation id is where the trace of its saga starts. */
  async connectVirtualBroker(user: User): Promise<{ connectionId: string; correlationId: string }> {
    const requested = await this.call('POST', '/api/broker-connections', user.token, {
      broker: 'virtual',
      mode: 'paper',
      paperAccounts: { count: 1, startingCash: '50000.00' },
    });
    if (requested.status >= 300)
      throw new Error(`connect: ${requested.status} ${JSON.stringify(requested.body)}`);
    return { connectionId: requested.body.connectionId, correlationId: requested.correlationId };
  }

  async connectionStatus(user: User, connectionId: string): Promise<string | undefined> {
    return (await this.call('GET', `/api/broker-connections/${connectionId}`, user.token)).body?.status;
  }
}
