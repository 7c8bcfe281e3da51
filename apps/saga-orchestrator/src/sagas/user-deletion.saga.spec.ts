import { SagaScript } from '../engine/testing/saga-script';
import { userDeletionSaga } from './user-deletion.saga';

const requested = { userId: 'user-1', requestedAt: '2026-01-01T00:00:00.000Z' };
const close = { userId: 'user-1', parentSagaId: 'saga-1' };

describe('UserDeletion saga', () => {
  it('closes every connection at its owner, waits for each child disconnection, then deletes the user', () => {
    SagaScript.given(userDeletionSaga, requested, 'saga-1')
      .expectCommand('CloseUserConnections', close)
      .whenSucceeded({ disconnectionIds: ['disc-1', 'disc-2'] })
      .expectNoCommand()
      .whenChildFinished('disc-1', 'COMPLETED')
      .expectNoCommand()
      .whenChildFinished('disc-2', 'COMPLETED')
      .expectCommand('DeleteUserAutomations', { userId: 'user-1', deletionId: 'saga-1' })
      .whenSucceeded({ deletedAutomationIds: [] })
      .expectCommand('DeleteUser', { userId: 'user-1' })
      .whenSucceeded()
      .expectStatus('COMPLETED');
  });

  it('restores the automations it deleted when the user cannot be deleted', () => {
    SagaScript.given(userDeletionSaga, requested, 'saga-1')
      .whenSucceeded({ disconnectionIds: [] })
      .expectCommand('DeleteUserAutomations', { userId: 'user-1', deletionId: 'saga-1' })
      .whenSucceeded({ deletedAutomationIds: ['auto-1'] })
      .whenFailed('USER_NOT_FOUND')
      .expectCommand('RestoreAutomations', { automationIds: ['auto-1'], deletionKey: 'user-1' })
      .whenSucceeded()
      .expectCommand('ReopenUserConnections', { userId: 'user-1' });
  });

  it('counts a child that finished before the close was answered', () => {
    SagaScript.given(userDeletionSaga, requested, 'saga-1')
      .whenChildFinished('disc-1', 'COMPLETED')
      .whenSucceeded({ disconnectionIds: ['disc-1'] })
      .expectCommands('DeleteUserAutomations');
  });

  it('ignores sagas it does not wait for', () => {
    SagaScript.given(userDeletionSaga, requested, 'saga-1')
      .whenSucceeded({ disconnectionIds: ['disc-1'] })
      .whenChildFinished('disc-other', 'ABORTED')
      .expectNoCommand()
      .expectStatus('RUNNING');
  });

  it('deletes a user without connections straight away', () => {
    SagaScript.given(userDeletionSaga, requested)
      .whenSucceeded({ disconnectionIds: [] })
      .expectCommand('DeleteUserAutomations', { userId: 'user-1', deletionId: 'saga-1' })
      .whenSucceeded({ deletedAutomationIds: [] })
      .expectCommand('DeleteUser', { userId: 'user-1' });
  });

  it('asks for a child disconnection that did not complete once more, and goes on when the second completes', () => {
    SagaScript.given(userDeletionSaga, requested, 'saga-1')
      .whenSucceeded({ disconnectionIds: ['disc-1'] })
      .whenChildFinished('disc-1', 'COMPENSATED')
      .expectCommand('CloseUserConnections', close)
      .whenSucceeded({ disconnectionIds: ['disc-2'] })
      .whenChildFinished('disc-2', 'COMPLETED')
      .expectCommand('DeleteUserAutomations', { userId: 'user-1', deletionId: 'saga-1' })
      .whenSucceeded({ deletedAutomationIds: [] })
      .expectCommand('DeleteUser', { userId: 'user-1' });
  });

  it.each(['COMPENSATED', 'ABORTED', 'FAILED'] as const)(
    'reopens connections and the account, saying why, when the child ends %s twice',
    (status) => {
      const script = SagaScript.given(userDeletionSaga, requested, 'saga-1')
        .whenSucceeded({ disconnectionIds: ['disc-1'] })
        .whenChildFinished('disc-1', status)
        .expectCommand('CloseUserConnections', close)
        .whenSucceeded({ disconnectionIds: ['disc-2'] })
        .whenChildFinished('disc-2', status)
        .expectCommand('ReopenUserConnections', { userId: 'user-1' })
        .whenSucceeded()
        .expectCommands('CancelUserDeletion');
      expect(script.waiting()[0].command.payload).toMatchObject({
        userId: 'user-1',
        reason: {
          code: 'USER_DELETION_CANCELLED',
          message: expect.stringContaining(`disc-2 ended ${status}`),
        },
      });
      script.whenSucceeded().expectStatus('COMPENSATED');
    },
  );

  it('does not wait for ever on a child that never ends: asks again, then calls the deletion off', () => {
    const script = SagaScript.given(userDeletionSaga, requested, 'saga-1')
      .whenSucceeded({ disconnectionIds: ['disc-1'] })
      .expectDeadline('close-connections.children', 12 * 60_000)
      .whenTimedOut()
      .expectCommand('CloseUserConnections', close)
      .whenSucceeded({ disconnectionIds: ['disc-1'] })
      .expectDeadline('close-connections.children')
      .whenTimedOut()
      .expectCommand('ReopenUserConnections', { userId: 'user-1' })
      .whenSucceeded();
    expect(script.waiting()[0].command.payload).toMatchObject({
      reason: { message: expect.stringContaining('disc-1 still running after 720000 ms') },
    });
  });

  it('calls the deletion off when it runs past its deadline as a whole, whatever it waits for', () => {
    const script = SagaScript.given(userDeletionSaga, requested, 'saga-1')
      .whenSucceeded({ disconnectionIds: ['disc-1'] })
      .whenSagaDeadlinePassed(1_800_000)
      .expectCommand('ReopenUserConnections', { userId: 'user-1' })
      .whenSucceeded()
      .expectCommands('CancelUserDeletion');
    expect(script.waiting()[0].command.payload).toMatchObject({
      reason: { message: expect.stringContaining('did not finish within 1800000 ms') },
    });
    script.whenSucceeded().expectStatus('COMPENSATED');
  });

  it('reopens the account when the connections could not be closed at all', () => {
    SagaScript.given(userDeletionSaga, requested, 'saga-1')
      .whenTimedOut()
      .whenTimedOut()
      .whenTimedOut()
      .expectCommand('ReopenUserConnections', { userId: 'user-1' })
      .whenSucceeded()
      .expectCommands('CancelUserDeletion')
      .whenSucceeded()
      .expectStatus('COMPENSATED');
  });
});
