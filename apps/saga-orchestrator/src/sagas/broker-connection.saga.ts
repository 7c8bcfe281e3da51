import type {
  BrokerConnectionRequested,
  BrokerKind,
  DiscoveredAccount,
  TradingMode,
} from '@tradecore/contracts';
import { defineSaga, step } from '../engine/saga-definition';
import { command } from './saga-command';

// A connection is usable only once every participant holds its part; any failure undoes them all and tells the user why.

export const DEFAULT_STARTING_CASH = '100000.00';

export interface BrokerConnectionContext {
  readonly connectionId: string;
  readonly userId: string;
  readonly broker: BrokerKind;
  readonly mode: TradingMode;
  readonly accounts: readonly DiscoveredAccount[];
  readonly linkedAccountIds: readonly string[];
  /** Public keys of the user's data at the services that read it: what personal fields are sealed for. */
  readonly dataKeys?: { readonly brokerAccount?: string; readonly automation?: string };
}

const isVirtual = (ctx: BrokerConnectionContext) => ctx.broker === 'virtual';
// The virtual broker's discovered accounts are the paper accounts to create, named by their external id.
const virtualAccountIdsOf = (ctx: BrokerConnectionContext) =>
  isVirtual(ctx) ? ctx.accounts.map((account) => account.externalAccountId) : [];

export const brokerConnectionSaga = defineSaga<BrokerConnectionRequested['payload'], BrokerConnectionContext>(
  {
    type: 'BrokerConnection',
    trigger: ['BrokerConnectionRequested'],
    start: ({ connectionId, userId, broker, mode }) => ({
      aggregateId: connectionId,
      context: { connectionId, userId, broker, mode, accounts: [], linkedAccountIds: [], dataKeys: {} },
    }),
    // A connection still being set up after five minutes is failed and rolled back; the user may try again.
    deadline: { afterMs: 5 * 60_000, then: 'compensate' },
    steps: [
      {
        name: 'mark-failed-on-rollback',
        compensate: (ctx, failure) =>
          command('MarkConnectionFailed', {
            connectionId: ctx.connectionId,
            reason: { code: failure.code, message: failure.message },
          }),
        timeoutMs: 10_000,
        retry: { attempts: 5, backoffFactor: 2 },
      },
      step({
        // The accounts travel sealed for broker-account, their balances on for automation: this saga never reads them.
        name: 'issue-data-keys',
        command: (ctx) => [
          command('IssueBrokerAccountDataKey', { userId: ctx.userId }),
          command('IssueAutomationDataKey', { userId: ctx.userId }),
        ],
        onReply: (ctx, result, sent) => ({
          ...ctx,
          dataKeys: {
            ...ctx.dataKeys,
            [sent.type === 'IssueBrokerAccountDataKey' ? 'brokerAccount' : 'automation']: result.publicKey,
          },
        }),
        timeoutMs: 10_000,
        retry: { attempts: 3, backoffFactor: 2 },
      }),
      step({
        name: 'verify-credentials',
        command: (ctx) =>
          command('VerifyBrokerCredentials', {
            connectionId: ctx.connectionId,
            ...(ctx.dataKeys?.brokerAccount && { sealFor: ctx.dataKeys.brokerAccount }),
          }),
        onReply: (ctx, result) => ({ ...ctx, accounts: result.accounts }),
        timeoutMs: 15_000,
        retry: { attempts: 3, backoffFactor: 2 },
      }),
      {
        name: 'provision-virtual-accounts',
        when: isVirtual,
        command: (ctx) =>
          command('ProvisionVirtualAccounts', {
            connectionId: ctx.connectionId,
            userId: ctx.userId,
            accounts: ctx.accounts.map((account) => ({
              virtualAccountId: account.externalAccountId,
              currency: account.currency,
              startingCash: account.startingCash ?? DEFAULT_STARTING_CASH,
            })),
          }),
        compensate: (ctx) =>
          command('PurgeVirtualAccounts', {
            connectionId: ctx.connectionId,
            virtualAccountIds: virtualAccountIdsOf(ctx),
          }),
        timeoutMs: 10_000,
        retry: { attempts: 3, backoffFactor: 2 },
      },
      step({
        name: 'link-broker-accounts',
        command: (ctx) =>
          command('LinkBrokerAccounts', {
            connectionId: ctx.connectionId,
            userId: ctx.userId,
            broker: ctx.broker,
            mode: ctx.mode,
            accounts: ctx.accounts.map((account) => ({
              ...account,
              ...(isVirtual(ctx) && { virtualAccountId: account.externalAccountId }),
            })),
            ...(ctx.dataKeys?.automation && { automationKey: ctx.dataKeys.automation }),
          }),
        onReply: (ctx, result) => ({ ...ctx, linkedAccountIds: result.linkedAccountIds }),
        // Without a reply the ids are unknown, so the whole connection's accounts go.
        compensate: (ctx) =>
          command('UnlinkBrokerAccounts', {
            connectionId: ctx.connectionId,
            ...(ctx.linkedAccountIds.length > 0 && { accountIds: ctx.linkedAccountIds }),
          }),
        timeoutMs: 10_000,
        retry: { attempts: 3, backoffFactor: 2 },
      }),
      {
        name: 'mark-connected',
        command: (ctx) =>
          command('MarkConnectionConnected', {
            connectionId: ctx.connectionId,
            linkedAccountIds: ctx.linkedAccountIds,
            virtualAccountIds: virtualAccountIdsOf(ctx),
          }),
        timeoutMs: 10_000,
        retry: { attempts: 3, backoffFactor: 2 },
      },
    ],
  },
);
