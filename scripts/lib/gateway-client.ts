/** A thin fetch wrapper over the gateway for the demo and the bench: JSON in and out, errors that say what failed. */
export interface Answer<T> {
  readonly status: number;
  readonly body: T;
  readonly correlationId?: string;
}

export class GatewayClient {
  constructor(readonly baseUrl: string) {}

  async checkReachable(): Promise<void> {
    try {
      const response = await fetch(`${this.baseUrl}/health/live`, { signal: AbortSignal.timeout(3000) });
      if (!response.ok) throw new Error(`answered ${response.status}`);
    } catch (error) {
      throw new Error(
        `no TradeCore gateway at ${this.baseUrl} (${(error as Error).message}). Start the suite with \`npm start\` ` +
          '(or pass the gateway URL: `npm run demo -- http://host:port`, or set GATEWAY_URL / GATEWAY_PORT)',
      );
    }
  }

  async call<T = unknown>(
    method: string,
    path: string,
    options: { token?: string; body?: unknown; expect?: number[] } = {},
  ): Promise<Answer<T>> {
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: {
        ...(options.body !== undefined && { 'content-type': 'application/json' }),
        ...(options.token && { authorization: `Bearer ${options.token}` }),
      },
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: AbortSignal.timeout(15_000),
    });
    const text = await response.text();
    const body = (text ? JSON.parse(text) : undefined) as T;
    const ok = options.expect ? options.expect.includes(response.status) : response.ok;
    if (!ok) throw new Error(`${method} ${path} answered ${response.status}: ${text.slice(0, 300)}`);
    return {
      status: response.status,
      body,
      correlationId: response.headers.get('x-correlation-id') ?? undefined,
    };
  }

  async login(email: string, password: string): Promise<string> {
    const answer = await this.call<{ accessToken: string }>('POST', '/api/auth/login', {
      body: { email, password },
    });
    return answer.body.accessToken;
  }
}

export async function waitFor(
  what: string,
  timeoutMs: number,
  condition: () => Promise<boolean>,
  intervalMs = 50,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`gave up after ${timeoutMs / 1000}s waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
