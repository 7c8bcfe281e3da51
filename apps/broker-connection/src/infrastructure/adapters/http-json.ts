import { BrokerAdapterError } from './broker-adapter';

/**
 * Fetches JSON from a broker and sorts failures by whose fault they are. The broker's: 5xx,
 * 408, timeouts and network errors (retried, counted by its circuit breaker). The caller's:
 * 401/403 and a refused grant (INVALID_CREDENTIALS), any other 4xx including a per-key 429,
 * and credentials that cannot be put into a header at all — never retried, never counted, so
 * one user's keys cannot open the breaker every other user shares.
 */
export async function fetchBrokerJson<T>(broker: string, url: string, init: RequestInit): Promise<T> {
  let headers: Headers;
  try {
    headers = new Headers(init.headers);
  } catch {
    throw new BrokerAdapterError(
      'INVALID_CREDENTIALS',
      `${broker} credentials contain characters an HTTP header cannot carry`,
      'caller',
    );
  }
  let response: Response;
  try {
    response = await fetch(url, { ...init, headers });
  } catch (error) {
    if (init.signal?.aborted) throw error;
    throw new BrokerAdapterError('BROKER_UNAVAILABLE', `${broker} could not be reached`);
  }
  if (response.status === 401 || response.status === 403 || isRefusedGrant(response.status, url)) {
    await response.body?.cancel();
    throw new BrokerAdapterError(
      'INVALID_CREDENTIALS',
      `${broker} refused the credentials (HTTP ${response.status})`,
      'caller',
    );
  }
  if (!response.ok) {
    await response.body?.cancel();
    const blame = response.status >= 500 || response.status === 408 ? 'broker' : 'caller';
    throw new BrokerAdapterError('BROKER_UNAVAILABLE', `${broker} answered HTTP ${response.status}`, blame);
  }
  return (await response.json()) as T;
}

// OAuth token endpoints answer a revoked or wrong refresh token with 400 invalid_grant.
const isRefusedGrant = (status: number, url: string): boolean =>
  status === 400 && url.includes('/oauth/token');
