import { SagaScript } from '../engine/testing/saga-script';
import { brokerDisconnectionSaga, CONNECTION_RECONNECTED } from './broker-disconnection.saga';

const requested = {
  connectionId: 'conn-1',
  userId: 'user-1',
  disconnectionId: 'disc-1',
  linkedAccountIds: ['acc-1', 'acc-2'],
  virtualAccountIds: ['va-1'],
  cause: 'user' as const,
  requestedAt: '2026-01-01T00:00:00.000Z',
};
const ids = { connectionId: 'conn-1' };

describe('BrokerDisconnection saga', () => {
  it('begins the purge, deletes the automations and the accounts, cancels orders, purges paper accounts, then the connection', () => {
    SagaScript.given(brokerDisconnectionSaga, requested)
      .expectCommand('BeginConnectionPurge', { ...ids, disconnectionId: 'disc-1' })
      .whenSucceeded()
      .expectCommand('DeleteAccountAutomations', {
        ...ids,
        accountIds: ['acc-1', 'acc-2'],
        deletionId: 'disc-1',
      })
      .whenSucceeded({ deletedAutomationIds: ['auto-1'] })
      .expectCommand('DeleteBrokerAccounts', { ...ids, accountIds: ['acc-1', 'acc-2'] })
      .whenSucceeded()
      .expectCommand('CancelOpenOrders', { ...ids, virtualAccountIds: ['va-1'] })
      .whenSucceeded({ cancelledOrderIds: ['o-1'] })
      .expectCommand('PurgeVirtualAccounts', { ...ids, virtualAccountIds: ['va-1'] })
      .whenSucceeded()
      .expectCommand('PurgeConnection', { ...ids, disconnectionId: 'disc-1' })
      .whenSucceeded()
      .expectStatus('COMPLETED');
  });

  it('aborts with nothing touched when the connection was reconnected meanwhile', () => {
    SagaScript.given(brokerDisconnectionSaga, requested)
      .whenFailed(CONNECTION_RECONNECTED, 'reconnected at 10:02')
      .expectNoCommand()
      .expectStatus('ABORTED');
  });

  it('skips the virtual broker when the connection has no paper accounts', () => {
    SagaScript.given(brokerDisconnectionSaga, { ...requested, virtualAccountIds: [] })
      .whenSucceeded()
      .whenSucceeded({ deletedAutomationIds: [] })
      .whenSucceeded()
      .expectCommands('PurgeConnection');
  });

  it('restores paper accounts, broker accounts, automations, then the connection when the final purge fails', () => {
    SagaScript.given(brokerDisconnectionSaga, requested)
      .whenSucceeded()
      .whenSucceeded({ deletedAutomationIds: ['auto-1'] })
      .whenSucceeded()
      .whenSucceeded({ cancelledOrderIds: [] })
      .whenSucceeded()
      .whenFailed('PURGE_FAILED')
      .expectCommand('RestoreVirtualAccounts', { ...ids, virtualAccountIds: ['va-1'] })
      .whenSucceeded()
      .expectCommand('RestoreBrokerAccounts', { ...ids, accountIds: ['acc-1', 'acc-2'] })
      .whenSucceeded()
      .expectCommand('RestoreAutomations', { automationIds: ['auto-1'], deletionKey: 'conn-1' })
      .whenSucceeded()
      .expectCommand('RestoreConnection', { ...ids, disconnectionId: 'disc-1' })
      .whenSucceeded()
      .expectStatus('COMPENSATED');
  });

  it('keeps the automation ids automation answered, from a resent delete too, and restores exactly those', () => {
    const saga = SagaScript.given(brokerDisconnectionSaga, requested)
      .whenSucceeded()
      .whenTimedOut()
      .expectCommand('DeleteAccountAutomations', {
        ...ids,
        accountIds: ['acc-1', 'acc-2'],
        deletionId: 'disc-1',
      })
      .whenSucceeded({ deletedAutomationIds: ['auto-1', 'auto-2'] });
    expect(saga.current.context).toMatchObject({ deletedAutomationIds: ['auto-1', 'auto-2'] });
    saga
      .whenFailed('ACCOUNTS_LOCKED')
      .expectCommand('RestoreAutomations', { automationIds: ['auto-1', 'auto-2'], deletionKey: 'conn-1' })
      .whenSucceeded()
      .expectCommand('RestoreConnection', { ...ids, disconnectionId: 'disc-1' })
      .whenSucceeded()
      .expectStatus('COMPENSATED');
  });

  it('names the parent saga when a user deletion started it', () => {
    const start = brokerDisconnectionSaga.start({ ...requested, parentSagaId: 'parent-1' }, 'child-1');
    expect(start).toMatchObject({ aggregateId: 'conn-1', parentSagaId: 'parent-1' });
  });
});
