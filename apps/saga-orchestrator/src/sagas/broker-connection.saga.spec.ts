import { SagaScript } from '../engine/testing/saga-script';
import { brokerConnectionSaga, DEFAULT_STARTING_CASH } from './broker-connection.saga';
import { connectionRequested as requested } from './test/broker-connection.fixtures';

const discovered = {
  accounts: [{ externalAccountId: 'va-1', displayName: 'Paper 1', currency: 'USD', startingCash: '5000' }],
};

/** Past the first step: broker-account and automation answered with their public keys for the user. */
const keysIssued = (trigger: ReturnType<typeof requested>) =>
  SagaScript.given(brokerConnectionSaga, trigger)
    .whenSucceeded({ publicKey: 'broker-account-key' })
    .whenSucceeded({ publicKey: 'automation-key' });

describe('BrokerConnection saga', () => {
  it('first asks broker-account and automation for their keys for the user, and seals for them', () => {
    SagaScript.given(brokerConnectionSaga, requested('alpaca'))
      .expectCommands('IssueBrokerAccountDataKey', 'IssueAutomationDataKey')
      .whenSucceeded({ publicKey: 'automation-key' }, 1)
      .expectNoCommand()
      .whenSucceeded({ publicKey: 'broker-account-key' })
      .expectCommand('VerifyBrokerCredentials', { connectionId: 'conn-1', sealFor: 'broker-account-key' })
      .whenSucceeded({
        accounts: [{ externalAccountId: 'sealed:x1:a', displayName: 'sealed:x1:b', currency: 'USD' }],
      })
      .expectCommand('LinkBrokerAccounts', {
        connectionId: 'conn-1',
        userId: 'user-1',
        broker: 'alpaca',
        mode: 'paper',
        accounts: [{ externalAccountId: 'sealed:x1:a', displayName: 'sealed:x1:b', currency: 'USD' }],
        automationKey: 'automation-key',
      });
  });

  it('verifies, provisions the virtual account, links it and marks the connection connected', () => {
    keysIssued(requested('virtual'))
      .expectCommand('VerifyBrokerCredentials', { connectionId: 'conn-1', sealFor: 'broker-account-key' })
      .whenSucceeded(discovered)
      .expectCommand('ProvisionVirtualAccounts', {
        connectionId: 'conn-1',
        userId: 'user-1',
        accounts: [{ virtualAccountId: 'va-1', currency: 'USD', startingCash: '5000' }],
      })
      .whenSucceeded()
      .expectCommand('LinkBrokerAccounts', {
        connectionId: 'conn-1',
        userId: 'user-1',
        broker: 'virtual',
        mode: 'paper',
        accounts: [
          {
            externalAccountId: 'va-1',
            displayName: 'Paper 1',
            currency: 'USD',
            startingCash: '5000',
            virtualAccountId: 'va-1',
          },
        ],
        automationKey: 'automation-key',
      })
      .whenSucceeded({ linkedAccountIds: ['acc-1'] })
      .expectCommand('MarkConnectionConnected', {
        connectionId: 'conn-1',
        linkedAccountIds: ['acc-1'],
        virtualAccountIds: ['va-1'],
      })
      .whenSucceeded()
      .expectNoCommand()
      .expectStatus('COMPLETED');
  });

  it('gives a paper account without a stated balance the default starting cash', () => {
    keysIssued(requested('virtual'))
      .whenSucceeded({ accounts: [{ externalAccountId: 'va-2', displayName: 'P', currency: 'EUR' }] })
      .expectCommand('ProvisionVirtualAccounts', {
        connectionId: 'conn-1',
        userId: 'user-1',
        accounts: [{ virtualAccountId: 'va-2', currency: 'EUR', startingCash: DEFAULT_STARTING_CASH }],
      });
  });

  it('skips the virtual broker for an outside broker', () => {
    keysIssued(requested('alpaca'))
      .whenSucceeded({ accounts: [{ externalAccountId: 'PA-9', displayName: 'Alpaca', currency: 'USD' }] })
      .expectCommands('LinkBrokerAccounts')
      .whenSucceeded({ linkedAccountIds: ['acc-9'] })
      .expectCommand('MarkConnectionConnected', {
        connectionId: 'conn-1',
        linkedAccountIds: ['acc-9'],
        virtualAccountIds: [],
      });
  });

  it('marks the connection failed with the reason when the credentials are wrong', () => {
    keysIssued(requested('alpaca'))
      .whenFailed('INVALID_CREDENTIALS', 'the key was rejected')
      .expectCommand('MarkConnectionFailed', {
        connectionId: 'conn-1',
        reason: { code: 'INVALID_CREDENTIALS', message: 'the key was rejected' },
      })
      .whenSucceeded()
      .expectStatus('COMPENSATED');
  });

  it('asks a broker that timed out again, with backoff, and goes on when it answers', () => {
    keysIssued(requested('alpaca'))
      .whenFailedTransiently('BROKER_TIMEOUT')
      .expectNoCommand()
      .whenTimedOut()
      .expectCommand('VerifyBrokerCredentials', { connectionId: 'conn-1', sealFor: 'broker-account-key' })
      .whenFailedTransiently('BROKER_UNAVAILABLE')
      .expectNoCommand()
      .whenTimedOut()
      .expectCommand('VerifyBrokerCredentials')
      .whenSucceeded(discovered)
      .expectCommand('LinkBrokerAccounts')
      .expectStatus('RUNNING');
  });

  it('gives up on a broker still unavailable after every attempt and fails the connection', () => {
    keysIssued(requested('alpaca'))
      .whenFailedTransiently('BROKER_UNAVAILABLE')
      .whenTimedOut()
      .whenFailedTransiently('BROKER_UNAVAILABLE')
      .whenTimedOut()
      .whenFailedTransiently('BROKER_UNAVAILABLE', 'circuit open')
      .expectCommand('MarkConnectionFailed', {
        connectionId: 'conn-1',
        reason: { code: 'BROKER_UNAVAILABLE', message: 'circuit open' },
      })
      .whenSucceeded()
      .expectStatus('COMPENSATED');
  });

  it('undoes the link and the provisioning in reverse order when marking connected fails', () => {
    keysIssued(requested('virtual'))
      .whenSucceeded(discovered)
      .whenSucceeded()
      .whenSucceeded({ linkedAccountIds: ['acc-1'] })
      .whenFailed('CONNECTION_GONE')
      .expectCommand('UnlinkBrokerAccounts', { connectionId: 'conn-1', accountIds: ['acc-1'] })
      .expectStatus('COMPENSATING')
      .whenSucceeded()
      .expectCommand('PurgeVirtualAccounts', { connectionId: 'conn-1', virtualAccountIds: ['va-1'] })
      .whenSucceeded()
      .expectCommands('MarkConnectionFailed')
      .whenSucceeded()
      .expectStatus('COMPENSATED');
  });

  it('retries a link nobody answered, then undoes it too, since the command may still land', () => {
    keysIssued(requested('virtual'))
      .whenSucceeded(discovered)
      .whenSucceeded()
      .whenTimedOut()
      .expectCommands('LinkBrokerAccounts')
      .whenTimedOut()
      .expectCommands('LinkBrokerAccounts')
      .whenTimedOut()
      .expectCommand('UnlinkBrokerAccounts', { connectionId: 'conn-1' })
      .whenSucceeded()
      .expectCommands('PurgeVirtualAccounts')
      .whenSucceeded()
      .expectCommands('MarkConnectionFailed')
      .whenSucceeded()
      .expectStatus('COMPENSATED');
  });

  it('is left FAILED for an operator when an undo is refused', () => {
    keysIssued(requested('virtual'))
      .whenSucceeded(discovered)
      .whenSucceeded()
      .whenFailed('NO_SUCH_ACCOUNT')
      .expectCommands('PurgeVirtualAccounts')
      .whenFailed('STORE_DOWN')
      .expectNoCommand()
      .expectStatus('FAILED');
  });
});
