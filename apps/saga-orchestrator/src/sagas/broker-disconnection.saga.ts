import type { BrokerDisconnected, BrokerDisconnectRequested } from '@tradecore/contracts';
import { defineSaga, step } from '../engine/saga-definition';
import { command } from './saga-command';

// Disconnecting erases a connection's accounts everywhere, but never one the user reconnected meanwhile:
// the purge begins (and can be refused) before anything is touched.

export const CONNECTION_RECONNECTED = 'CONNECTION_RECONNECTED';

export interface BrokerDisconnectionContext {
  readonly connectionId: string;
  readonly userId: string;
  readonly disconnectionId: string;
  readonly linkedAccountIds: readonly string[];
  readonly virtualAccountIds: readonly string[];
  /**
   * What delete-automations deleted, as automation answered: gathered by the step, not carried on
   * the trigger, because automations can be created on these accounts until the step runs, and a
   * copy of them in the trigger would miss those. Asked again, automation names the same ones
   * (the disconnection id is recorded on each), so the compensation restores exactly those.
   */
  readonly deletedAutomationIds: readonly string[];
}

type Trigger = BrokerDisconnectRequested['payload'] | BrokerDisconnected['payload'];

const hasVirtualAccounts = (ctx: BrokerDisconnectionContext) => ctx.virtualAccountIds.length > 0;

export const brokerDisconnectionSaga = defineSaga<Trigger, BrokerDisconnectionContext>({
  type: 'BrokerDisconnection',
  trigger: ['BrokerDisconnectRequested', 'BrokerDisconnected'],
  start: (trigger) => ({
    aggregateId: trigger.connectionId,
    parentSagaId: 'parentSagaId' in trigger ? trigger.parentSagaId : undefined,
    childKey: trigger.disconnectionId,
    context: {
      connectionId: trigger.connectionId,
      userId: trigger.userId,
      disconnectionId: trigger.disconnectionId,
      linkedAccountIds: trigger.linkedAccountIds,
      virtualAccountIds: trigger.virtualAccountIds,
      deletedAutomationIds: [],
    },
  }),
  // Within the 12 minutes a deleting user's saga waits for it; rolled back, the parent may ask again.
  deadline: { afterMs: 10 * 60_000, then: 'compensate' },
  steps: [
    {
      name: 'begin-purge',
      command: (ctx) =>
        command('BeginConnectionPurge', {
          connectionId: ctx.connectionId,
          disconnectionId: ctx.disconnectionId,
        }),
      abortOn: [CONNECTION_RECONNECTED],
      compensate: (ctx) =>
        command('RestoreConnection', {
          connectionId: ctx.connectionId,
          disconnectionId: ctx.disconnectionId,
        }),
      timeoutMs: 10_000,
      retry: { attempts: 3, backoffFactor: 2 },
    },
    step({
      name: 'delete-automations',
      when: (ctx) => ctx.linkedAccountIds.length > 0,
      command: (ctx) =>
        command('DeleteAccountAutomations', {
          connectionId: ctx.connectionId,
          accountIds: ctx.linkedAccountIds,
          deletionId: ctx.disconnectionId,
        }),
      onReply: (ctx, result) => ({
        ...ctx,
        deletedAutomationIds: result.deletedAutomationIds ?? [],
      }),
      compensate: (ctx) =>
        command('RestoreAutomations', {
          automationIds: ctx.deletedAutomationIds,
          deletionKey: ctx.connectionId,
        }),
      timeoutMs: 10_000,
      retry: { attempts: 3, backoffFactor: 2 },
    }),
    {
      name: 'delete-broker-accounts',
      when: (ctx) => ctx.linkedAccountIds.length > 0,
      command: (ctx) =>
        command('DeleteBrokerAccounts', { connectionId: ctx.connectionId, accountIds: ctx.linkedAccountIds }),
      compensate: (ctx) =>
        command('RestoreBrokerAccounts', {
          connectionId: ctx.connectionId,
          accountIds: ctx.linkedAccountIds,
        }),
      timeoutMs: 10_000,
      retry: { attempts: 3, backoffFactor: 2 },
    },
    {
      name: 'cancel-open-orders',
      when: hasVirtualAccounts,
      command: (ctx) =>
        command('CancelOpenOrders', {
          connectionId: ctx.connectionId,
          virtualAccountIds: ctx.virtualAccountIds,
        }),
      timeoutMs: 10_000,
      retry: { attempts: 3, backoffFactor: 2 },
    },
    {
      name: 'purge-virtual-accounts',
      when: hasVirtualAccounts,
      command: (ctx) =>
        command('PurgeVirtualAccounts', {
          connectionId: ctx.connectionId,
          virtualAccountIds: ctx.virtualAccountIds,
        }),
      compensate: (ctx) =>
        command('RestoreVirtualAccounts', {
          connectionId: ctx.connectionId,
          virtualAccountIds: ctx.virtualAccountIds,
        }),
      timeoutMs: 10_000,
      retry: { attempts: 3, backoffFactor: 2 },
    },
    {
      name: 'purge-connection',
      command: (ctx) =>
        command('PurgeConnection', { connectionId: ctx.connectionId, disconnectionId: ctx.disconnectionId }),
      timeoutMs: 10_000,
      retry: { attempts: 3, backoffFactor: 2 },
    },
  ],
});
