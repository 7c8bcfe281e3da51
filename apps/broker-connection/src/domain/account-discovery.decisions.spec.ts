import {
  brokerConnectionDecider,
  type ConnectionCommand,
  type ConnectionEvent,
} from './broker-connection.decider';
import { at, needsReauth, ref, tradeStationConnected as connected } from './test/broker-connection.fixtures';

const account = (accountId: string, externalAccountId: string) => ({
  accountId,
  externalAccountId,
  displayName: `TradeStation ${externalAccountId}`,
  currency: 'USD',
});
const listed = (...accounts: ReturnType<typeof account>[]): ConnectionCommand => ({
  type: 'RecordListedAccounts',
  accounts,
  at,
});
const stateAfter = (events: ConnectionEvent[]) =>
  events.reduce(brokerConnectionDecider.evolve, brokerConnectionDecider.initialState);
const decide = (events: ConnectionEvent[], command: ConnectionCommand) =>
  brokerConnectionDecider.decide(command, stateAfter(events));

describe('RecordListedAccounts', () => {
  it('announces accounts opened and closed at the broker, and links the new set', () => {
    const changed = decide(connected, listed(account('a-2', 'SIM2')));
    expect(changed).toEqual([
      {
        type: 'BrokerAccountsChanged',
        ...ref,
        broker: 'tradestation',
        mode: 'paper',
        opened: [{ externalAccountId: 'SIM2', displayName: 'TradeStation SIM2', currency: 'USD' }],
        openedAccountIds: ['a-2'],
        closedAccountIds: ['a-1'],
        changedAt: at,
      },
    ]);
    expect(stateAfter([...connected, ...changed])).toMatchObject({ linkedAccountIds: ['a-2'] });
  });

  it('changes nothing when the broker lists what is linked', () =>
    expect(decide(connected, listed(account('a-1', 'SIM1')))).toEqual([]));

  it('changes nothing on an empty list, more likely a bad answer than every account closed', () =>
    expect(decide(connected, listed())).toEqual([]));

  it('changes nothing for a connection that is not up', () =>
    expect(decide([...connected, needsReauth], listed(account('a-2', 'SIM2')))).toEqual([]));
});
