import type { ConnectionStatus } from './broker-connection.messages';
import { assertTrades } from './connection-rules';

const unreachable = { code: 'BROKER_UNAVAILABLE', message: 'Alpaca did not answer' };
const refusalOf = (status: ConnectionStatus) => {
  try {
    assertTrades({ status, broker: 'alpaca', reason: unreachable });
    return undefined;
  } catch (error) {
    return error as { code: string; details: { status: string; reason?: object } };
  }
};

describe('which connections trade', () => {
  it.each<ConnectionStatus>(['CONNECTED', 'DEGRADED'])('lets %s trade', (status) =>
    expect(refusalOf(status)).toBeUndefined(),
  );

  it.each<[ConnectionStatus, string]>([
    ['OFFLINE', 'CONNECTION_NOT_CONNECTED'],
    ['DISCONNECTING', 'CONNECTION_NOT_CONNECTED'],
    ['NEEDS_REAUTH', 'CONNECTION_NEEDS_REAUTH'],
  ])('refuses trading on %s with %s, naming the status and why', (status, code) =>
    expect(refusalOf(status)).toMatchObject({ code, details: { status, reason: unreachable } }),
  );
});
