import type {
  AutomationEvent,
  BrokerAccountEvent,
  BrokerConnectionEvent,
  BrokerOrderEvent,
  SagaLifecycleEvent,
  VirtualBrokerEvent,
} from '@tradecore/contracts';

// What a user's real-time channel carries: each followed event, addressed to the one user it belongs to.

export type FollowedEvent =
  | VirtualBrokerEvent
  | BrokerOrderEvent
  | BrokerAccountEvent
  | BrokerConnectionEvent
  | SagaLifecycleEvent
  | AutomationEvent;

export type UpdateType =
  | 'order'
  | 'fill'
  | 'position'
  | 'balance'
  | 'account'
  | 'connection'
  | 'connection.state'
  | 'saga'
  | 'automation'
  | 'signal';

/** An update as the channel sends it, `seq` aside (the user's log gives it). */
export interface RealtimeUpdate {
  readonly type: UpdateType;
  readonly at: string;
  readonly payload: Readonly<Record<string, unknown>>;
}

export type OwnedKind = 'connection' | 'virtual-account' | 'automation';

/** Whose an update is: named by the event, or looked up from an id other events tied to a user. */
export type Owner = { readonly userId: string } | { readonly kind: OwnedKind; readonly id: string };

export interface Ownership {
  readonly kind: OwnedKind;
  readonly id: string;
  readonly userId: string;
}

export interface AddressedUpdate {
  readonly owner: Owner;
  readonly update: RealtimeUpdate;
}

// Undefined: for nobody's channel. Marks are everyone's; reported balances reach the user as the BrokerAccountBalanceUpdated they become.
const UPDATE_TYPE: Readonly<Record<FollowedEvent['type'], UpdateType | undefined>> = {
  OrderPlaced: 'order',
  OrderReplaced: 'order',
  OrderCancelled: 'order',
  OrderExpired: 'order',
  OrderRejected: 'order',
  OpenOrdersCancelled: 'order',
  OrderPartiallyFilled: 'fill',
  OrderFilled: 'fill',
  MarketMarked: undefined,
  BrokerOrderPlaced: 'order',
  BrokerOrderAccepted: 'order',
  BrokerOrderReplaced: 'order',
  BrokerOrderCancelled: 'order',
  BrokerOrderExpired: 'order',
  BrokerOrderRejected: 'order',
  BrokerOrderPartiallyFilled: 'fill',
  BrokerOrderFilled: 'fill',
  VirtualAccountsProvisioned: 'account',
  VirtualAccountsPurged: 'account',
  VirtualAccountsRestored: 'account',
  VirtualAccountReset: 'account',
  BrokerAccountsLinked: 'account',
  BrokerAccountsUnlinked: 'account',
  BrokerAccountsDeleted: 'account',
  BrokerAccountsRestored: 'account',
  BrokerAccountsClosed: 'account',
  BrokerAccountsPurged: 'account',
  BrokerAccountBalanceUpdated: 'balance',
  BrokerConnectionRequested: 'connection',
  BrokerConnected: 'connection',
  BrokerConnectionFailed: 'connection',
  BrokerDisconnectRequested: 'connection',
  BrokerDisconnected: 'connection',
  BrokerReconnected: 'connection',
  BrokerConnectionPurgeBegun: 'connection',
  BrokerConnectionRestored: 'connection',
  BrokerConnectionPurged: 'connection',
  BrokerConnectionDegraded: 'connection.state',
  BrokerConnectionOffline: 'connection.state',
  BrokerConnectionRecovered: 'connection.state',
  BrokerConnectionNeedsReauth: 'connection.state',
  BrokerConnectionReauthorized: 'connection.state',
  BrokerAccountBalancesReported: undefined,
  BrokerAccountsChanged: undefined,
  SagaStarted: 'saga',
  SagaStepCompleted: 'saga',
  SagaCompensating: 'saga',
  SagaCompleted: 'saga',
  SagaCompensated: 'saga',
  SagaFailed: 'saga',
  SagaAborted: 'saga',
  AutomationCreated: 'automation',
  AutomationUpdated: 'automation',
  AutomationPaused: 'automation',
  AutomationResumed: 'automation',
  AutomationDeleted: 'automation',
  AutomationRestored: 'automation',
  SignalReceived: 'signal',
  SignalAccepted: 'signal',
  SignalRejected: 'signal',
  SignalOrderPlaced: 'signal',
  SignalOrderFilled: 'signal',
  SignalOrderClosed: 'signal',
  SignalCancelSent: 'signal',
  SignalExitsPlaced: 'signal',
  SignalExitUpdated: 'signal',
};

/** The status an established connection's health event leaves it in, so a client need not know the event names. */
const STATUS_AFTER: Readonly<Record<string, string>> = {
  BrokerConnectionDegraded: 'DEGRADED',
  BrokerConnectionOffline: 'OFFLINE',
  BrokerConnectionRecovered: 'CONNECTED',
  BrokerConnectionNeedsReauth: 'NEEDS_REAUTH',
  BrokerConnectionReauthorized: 'CONNECTED',
};

export const FOLLOWED_EVENT_TYPES = Object.keys(UPDATE_TYPE) as FollowedEvent['type'][];

type Fields = Readonly<Record<string, unknown>>;
const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
const texts = (value: unknown): string[] => (Array.isArray(value) ? value.filter((id) => text(id)) : []);

/** The ids this event ties to its user, so later events naming only an id reach the same user. */
export function ownershipsOf(event: { payload: unknown }): Ownership[] {
  const payload = event.payload as Fields;
  const userId = text(payload.userId);
  if (!userId) return [];
  const accounts = Array.isArray(payload.accounts) ? (payload.accounts as Fields[]) : [];
  const virtualAccountIds = [
    text(payload.virtualAccountId),
    ...texts(payload.virtualAccountIds),
    ...accounts.map((account) => text(account.virtualAccountId)),
  ].filter((id): id is string => !!id);
  const automationId = text(payload.automationId);
  const connectionId = text(payload.connectionId);
  return [
    ...(connectionId ? [{ kind: 'connection' as const, id: connectionId, userId }] : []),
    ...(automationId ? [{ kind: 'automation' as const, id: automationId, userId }] : []),
    ...[...new Set(virtualAccountIds)].map((id) => ({ kind: 'virtual-account' as const, id, userId })),
  ];
}

/** The update this event makes for its owner, or undefined when it is for nobody's channel. */
export function addressedUpdateOf(event: FollowedEvent, occurredAt: string): AddressedUpdate | undefined {
  const type = UPDATE_TYPE[event.type];
  const owner = ownerOf(event.payload as Fields);
  if (!type || !owner) return undefined;
  const status = STATUS_AFTER[event.type];
  const payload = { event: event.type, ...(status && { status }), ...event.payload };
  return { owner, update: { type, at: occurredAt, payload } };
}

function ownerOf(payload: Fields): Owner | undefined {
  const userId = text(payload.userId);
  if (userId) return { userId };
  const [kind, id] =
    (
      [
        ['virtual-account', text(payload.virtualAccountId)],
        ['automation', text(payload.automationId)],
        ['connection', text(payload.connectionId)],
        // A saga nobody requested works on a connection; a user's own sagas name the user above.
        ['connection', text(payload.aggregateId)],
      ] as const
    ).find(([, candidate]) => candidate) ?? [];
  return kind && id ? { kind, id } : undefined;
}
