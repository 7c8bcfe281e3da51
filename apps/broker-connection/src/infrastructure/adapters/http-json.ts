import { BrokerAdapterError } from './broker-adapter';

/**
 * Fetches JSON from a broker and sorts failures: 401/403 are refused credentials (never
 * retried), 5xx and network errors are the broker being down (retried, counted by the breaker).
 */
export async function fetchBrokerJson<T>(broker: string, url: string, init: RequestInit): Promise<T> {
  let response: Response;
  try {
    response = await fetch(url, init);
  } catch (error) {
    if (init.signal?.aborted) throw error;
    throw new BrokerAdapterError('BROKER_UNAVAILABLE', `${broker} could not be reached`);
  }
  if (response.status === 401 || response.status === 403 || isRefusedGrant(response.status, url)) {
    await response.body?.cancel();
    throw new BrokerAdapterError(
      'INVALID_CREDENTIALS',
      `${broker} refused the credentials (HTTP ${response.status})`,
    );
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw new BrokerAdapterError('BROKER_UNAVAILABLE', `${broker} answered HTTP ${response.status}`);
  }
  return (await response.json()) as T;
}

// OAuth token endpoints answer a revoked or wrong refresh token with 400 invalid_grant.
const isRefusedGrant = (status: number, url: string): boolean =>
  status === 400 && url.includes('/oauth/token');
