import { SagaScript } from '../engine/testing/saga-script';
import { userDeletionSaga } from './user-deletion.saga';

const requested = (connectionIds: string[]) => ({
  userId: 'user-1',
  connectionIds,
  requestedAt: '2026-01-01T00:00:00.000Z',
});
const disconnect = (connectionId: string) => ({
  connectionId,
  userId: 'user-1',
  cause: 'user-deletion',
  parentSagaId: 'saga-1',
});

describe('UserDeletion saga', () => {
  it('disconnects every connection as a child saga, waits for all, then deletes the user', () => {
    const script = SagaScript.given(
      userDeletionSaga,
      requested(['conn-1', 'conn-2']),
      'saga-1',
    ).expectCommands('RequestBrokerDisconnect', 'RequestBrokerDisconnect');
    expect(script.waiting().map((waiting) => waiting.command.payload)).toEqual([
      disconnect('conn-1'),
      disconnect('conn-2'),
    ]);

    script
      .whenSucceeded({ disconnectionId: 'disc-1' })
      .whenSucceeded({ disconnectionId: 'disc-2' })
      .expectNoCommand()
      .whenChildFinished('disc-1', 'COMPLETED')
      .expectNoCommand()
      .whenChildFinished('disc-2', 'COMPLETED')
      .expectCommand('DeleteUser', { userId: 'user-1' })
      .whenSucceeded()
      .expectStatus('COMPLETED');
  });

  it('counts a child that finished before its request was answered', () => {
    SagaScript.given(userDeletionSaga, requested(['conn-1']), 'saga-1')
      .whenChildFinished('disc-1', 'COMPLETED')
      .whenSucceeded({ disconnectionId: 'disc-1' })
      .expectCommands('DeleteUser');
  });

  it('ignores sagas it does not wait for', () => {
    SagaScript.given(userDeletionSaga, requested(['conn-1']), 'saga-1')
      .whenSucceeded({ disconnectionId: 'disc-1' })
      .whenChildFinished('disc-other', 'ABORTED')
      .expectNoCommand()
      .expectStatus('RUNNING');
  });

  it('does not wait for a connection that was already purged', () => {
    SagaScript.given(userDeletionSaga, requested(['conn-1']), 'saga-1')
      .whenSucceeded({ disconnectionId: null })
      .expectCommands('DeleteUser');
  });

  it('deletes a user without connections straight away', () => {
    SagaScript.given(userDeletionSaga, requested([])).expectCommand('DeleteUser', { userId: 'user-1' });
  });

  it('keeps the user when a child disconnection was aborted by a reconnect', () => {
    SagaScript.given(userDeletionSaga, requested(['conn-1']), 'saga-1')
      .whenSucceeded({ disconnectionId: 'disc-1' })
      .whenChildFinished('disc-1', 'ABORTED')
      .expectNoCommand()
      .expectStatus('COMPENSATED');
  });
});
