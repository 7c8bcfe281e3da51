import { CONNECTION_STATUSES, type ConnectionStatus } from './broker-connection.messages';
import { admitConnection, type HeldConnection } from './connection-allowance';

/** Every other status is live: a new status counts as live here until it is named ended. */
const ENDED: readonly ConnectionStatus[] = ['FAILED', 'DISCONNECTED', 'PURGED'];

const held = (status: HeldConnection['status'], sameAccount = false, connectionId = `c-${status}`) => ({
  connectionId,
  status,
  sameAccount,
});

const refusal = (existing: HeldConnection[], limit = 10) => {
  try {
    admitConnection(existing, limit);
    return undefined;
  } catch (error) {
    return error as { code: string; message: string; details: Record<string, unknown> };
  }
};

describe('connection allowance', () => {
  it('admits a first connection and one to another account', () => {
    expect(refusal([])).toBeUndefined();
    expect(refusal([held('CONNECTED')])).toBeUndefined();
  });

  it.each(CONNECTION_STATUSES.filter((status) => !ENDED.includes(status)))(
    'refuses a second connection to the same account while the first is %s, naming it',
    (status) => {
      expect(refusal([held(status, true, 'first')])).toMatchObject({
        code: 'CONNECTION_ALREADY_EXISTS',
        message: expect.stringContaining('first'),
        details: { connectionId: 'first', status },
      });
    },
  );

  it.each(ENDED)('lets the same account connect again once the earlier connection is %s', (status) => {
    expect(refusal([held(status, true)])).toBeUndefined();
  });

  it('refuses the same login signed in again (new credentials, same broker accounts), naming the accounts', () => {
    const signedInBefore = { ...held('CONNECTED', false, 'first'), sharedAccountIds: ['SIM1000001M'] };
    expect(refusal([signedInBefore])).toMatchObject({
      code: 'CONNECTION_ALREADY_EXISTS',
      message: expect.stringContaining("already connects this login's accounts SIM1000001M"),
      details: { connectionId: 'first', status: 'CONNECTED', accountIds: ['SIM1000001M'] },
    });
    expect(refusal([{ ...signedInBefore, status: 'DISCONNECTED' }])).toBeUndefined();
    expect(refusal([{ ...signedInBefore, sharedAccountIds: [] }])).toBeUndefined();
  });

  it('refuses a connection beyond the limit, counting every connection not yet purged', () => {
    const three = [
      held('CONNECTED', false, 'a'),
      held('FAILED', false, 'b'),
      held('DISCONNECTED', false, 'c'),
    ];
    expect(refusal(three, 3)).toMatchObject({
      code: 'CONNECTION_LIMIT_REACHED',
      details: { limit: 3, connectionIds: ['a', 'b', 'c'] },
    });
    expect(refusal([...three.slice(0, 2), held('PURGED')], 3)).toBeUndefined();
  });
});
