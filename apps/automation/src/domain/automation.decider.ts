import type { AutomationSettings, Reason } from '@tradecore/contracts';
import { Decider, DomainError } from '@tradecore/eventing/domain';
import type {
  AutomationCommand,
  AutomationEvent,
  AutomationState,
  OpenOrder,
  OrderOutcome,
  PresentAutomation,
} from './automation.messages';
import { decideSignal, formatCents } from './signal-decision';

export * from './automation.messages';

// One stream per automation: its settings, its signals' decisions and the orders they placed, so
// a pyramiding limit holds however fast signals arrive.

export const initialState: AutomationState = { status: 'ABSENT' };

export function evolve(state: AutomationState, event: AutomationEvent): AutomationState {
  if (event.type === 'AutomationCreated')
    return {
      status: event.active ? 'ACTIVE' : 'PAUSED',
      automationId: event.automationId,
      userId: event.userId,
      account: {
        accountId: event.accountId,
        connectionId: event.connectionId,
        virtualAccountId: event.virtualAccountId,
      },
      settings: event.settings,
      tokenHash: event.tokenHash,
      positions: {},
      openOrders: {},
    };
  if (state.status === 'ABSENT') return state;
  switch (event.type) {
    case 'AutomationUpdated':
      return { ...state, settings: event.settings };
    case 'AutomationPaused':
      return { ...state, status: 'PAUSED', pausedReason: event.reason };
    case 'AutomationResumed':
      return { ...state, status: 'ACTIVE', pausedReason: undefined };
    case 'AutomationDeleted':
      return {
        ...state,
        status: 'DELETED',
        statusBeforeDeletion: state.status === 'DELETED' ? 'PAUSED' : state.status,
      };
    case 'AutomationRestored':
      return { ...state, status: event.active ? 'ACTIVE' : 'PAUSED', statusBeforeDeletion: undefined };
    case 'WebhookTokenRotated':
      return { ...state, tokenHash: event.tokenHash };
    case 'WebhookSigningSecretIssued':
      return { ...state, signingSecretId: event.secretId };
    case 'WebhookSigningSecretRevoked':
      return { ...state, signingSecretId: undefined };
    case 'SignalAccepted': {
      const order: OpenOrder = {
        signalId: event.signalId,
        symbol: event.symbol,
        side: event.side,
        quantity: Number(event.quantity),
        filled: 0,
        placed: false,
        entry: event.entry,
      };
      return {
        ...state,
        positions: {
          ...state.positions,
          [event.symbol]: { quantity: event.positionAfter, entries: event.entriesAfter },
        },
        openOrders: { ...state.openOrders, [event.orderId]: order },
      };
    }
    case 'SignalOrderPlaced':
      return withOrder(state, event.orderId, (order) => ({ ...order, placed: true }));
    case 'SignalOrderFilled':
      return Number(event.remainingQuantity) === 0
        ? withoutOrder(state, event.orderId)
        : withOrder(state, event.orderId, (order) => ({ ...order, filled: Number(event.filledQuantity) }));
    case 'SignalRejected':
    case 'SignalOrderClosed':
      return event.orderId === undefined ? state : undoUnfilled(state, event.orderId);
    default: {
      const unhandled: never = event;
      return unhandled;
    }
  }
}

function withOrder(state: PresentAutomation, orderId: string, change: (order: OpenOrder) => OpenOrder) {
  const order = state.openOrders[orderId];
  return order ? { ...state, openOrders: { ...state.openOrders, [orderId]: change(order) } } : state;
}

function withoutOrder(state: PresentAutomation, orderId: string): PresentAutomation {
  const { [orderId]: _done, ...rest } = state.openOrders;
  return { ...state, openOrders: rest };
}

/** What an order did not fill never happened: the position and its entries go back by that much. */
function undoUnfilled(state: PresentAutomation, orderId: string): PresentAutomation {
  const order = state.openOrders[orderId];
  if (!order) return state;
  const position = state.positions[order.symbol] ?? { quantity: 0, entries: 0 };
  const quantity = position.quantity - (order.side === 'buy' ? 1 : -1) * (order.quantity - order.filled);
  const entries =
    quantity === 0
      ? 0
      : order.entry && order.filled === 0
        ? Math.max(0, position.entries - 1)
        : position.entries;
  return {
    ...withoutOrder(state, orderId),
    positions: { ...state.positions, [order.symbol]: { quantity, entries } },
  };
}

const notFound = () =>
  new DomainError('AUTOMATION_NOT_FOUND', 'no automation with this id belongs to you; check the id');

/** Another user's automation answers exactly like a missing one. */
function owned(state: AutomationState, requestedBy: string | undefined): PresentAutomation {
  if (state.status === 'ABSENT' || (requestedBy !== undefined && state.userId !== requestedBy))
    throw notFound();
  return state;
}

/** The caller's automation, not deleted; anything else answers AUTOMATION_NOT_FOUND. */
export function live(state: AutomationState, requestedBy: string | undefined): PresentAutomation {
  const automation = owned(state, requestedBy);
  if (automation.status === 'DELETED') throw notFound();
  return automation;
}

const refOf = (state: PresentAutomation) => ({
  automationId: state.automationId,
  userId: state.userId,
  accountId: state.account.accountId,
});

export function decide(command: AutomationCommand, state: AutomationState): AutomationEvent[] {
  switch (command.type) {
    case 'CreateAutomation':
      if (state.status !== 'ABSENT')
        throw new DomainError(
          'AUTOMATION_ALREADY_EXISTS',
          `automation ${command.automationId} already exists`,
        );
      return [
        {
          type: 'AutomationCreated',
          automationId: command.automationId,
          userId: command.userId,
          accountId: command.account.accountId,
          connectionId: command.account.connectionId,
          virtualAccountId: command.account.virtualAccountId,
          settings: command.settings,
          active: command.active,
          tokenHash: command.tokenHash,
          createdAt: command.at,
        },
      ];
    case 'UpdateAutomation': {
      const automation = live(state, command.requestedBy);
      const settings: AutomationSettings = { ...automation.settings, ...command.changes };
      return [{ type: 'AutomationUpdated', ...refOf(automation), settings, updatedAt: command.at }];
    }
    case 'PauseAutomation': {
      const automation = live(state, command.requestedBy);
      if (automation.status === 'PAUSED') return [];
      return [
        {
          type: 'AutomationPaused',
          ...refOf(automation),
          ...(command.reason && { reason: command.reason }),
          pausedAt: command.at,
        },
      ];
    }
    case 'ResumeAutomation': {
      const automation = live(state, command.requestedBy);
      return automation.status === 'ACTIVE'
        ? []
        : [{ type: 'AutomationResumed', ...refOf(automation), resumedAt: command.at }];
    }
    case 'RotateWebhookToken': {
      const automation = live(state, command.requestedBy);
      return [
        {
          type: 'WebhookTokenRotated',
          automationId: automation.automationId,
          tokenHash: command.tokenHash,
          rotatedAt: command.at,
        },
      ];
    }
    case 'IssueSigningSecret': {
      const automation = live(state, command.requestedBy);
      return [
        {
          type: 'WebhookSigningSecretIssued',
          automationId: automation.automationId,
          secretId: command.secretId,
          issuedAt: command.at,
        },
      ];
    }
    case 'RevokeSigningSecret': {
      const automation = live(state, command.requestedBy);
      if (automation.signingSecretId === undefined) return [];
      return [
        { type: 'WebhookSigningSecretRevoked', automationId: automation.automationId, revokedAt: command.at },
      ];
    }
    case 'DeleteAutomation': {
      const automation = owned(state, command.requestedBy);
      if (automation.status === 'DELETED') return [];
      return [
        { type: 'AutomationDeleted', ...refOf(automation), cause: command.cause, deletedAt: command.at },
      ];
    }
    case 'RestoreAutomation':
      if (state.status !== 'DELETED') return [];
      return [
        {
          type: 'AutomationRestored',
          ...refOf(state),
          active: state.statusBeforeDeletion !== 'PAUSED',
          restoredAt: command.at,
        },
      ];
    case 'DecideSignal':
      return decideOnSignal(command, state);
    case 'RecordOrderOutcome':
      return recordOutcome(command.outcome, state);
    default: {
      const unhandled: never = command;
      throw new DomainError('UNKNOWN_COMMAND', `unknown command ${JSON.stringify(unhandled)}`);
    }
  }
}

function decideOnSignal(
  command: Extract<AutomationCommand, { type: 'DecideSignal' }>,
  state: AutomationState,
): AutomationEvent[] {
  if (state.status === 'ABSENT') throw notFound();
  const base = { signalId: command.signalId, automationId: state.automationId };
  const decision = decideSignal(state, command.signal, command.account);
  if ('rejected' in decision)
    return [{ type: 'SignalRejected', ...base, reason: decision.rejected, rejectedAt: command.at }];
  const intent = decision.accepted;
  return [
    {
      type: 'SignalAccepted',
      ...base,
      orderId: command.orderId,
      symbol: intent.symbol,
      side: intent.side,
      kind: state.settings.orderType,
      quantity: String(intent.quantity),
      ...(intent.limitPriceCents !== null && { limitPrice: formatCents(intent.limitPriceCents) }),
      timeInForce: state.settings.timeInForce,
      decidedAt: command.at,
      positionAfter: intent.positionAfter,
      entriesAfter: intent.entriesAfter,
      entry: intent.entry,
      userId: state.userId,
      virtualAccountId: state.account.virtualAccountId,
    },
  ];
}

/** What the broker can do about a refusal is said in words the automation's owner can act on. */
const BROKER_HINTS: Readonly<Record<string, string>> = {
  INSUFFICIENT_BUYING_POWER: "lower the automation's sizing or add cash to the account",
  SHORT_SELLING_NOT_SUPPORTED:
    'the paper broker does not sell short; send sell signals only to exit a long position',
  SHARES_COMMITTED_TO_OPEN_ORDERS:
    'shares are held by other open orders; cancel them or wait for them to fill',
  UNKNOWN_SYMBOL: 'the broker does not trade this symbol; fix the alert ticker',
  QUOTE_STALE: 'the market feed paused; the signal was not traded, send it again once quotes resume',
  ACCOUNT_PURGED: 'the account was disconnected; reconnect it or point the automation at another account',
  ACCOUNT_NOT_FOUND: 'the account no longer exists; point the automation at another account',
};

function brokerReason(reason: Reason): Reason {
  const hint = BROKER_HINTS[reason.code];
  return {
    code: reason.code,
    message: `the broker refused the order: ${reason.message}${hint ? `; ${hint}` : ''}`,
  };
}

function recordOutcome(outcome: OrderOutcome, state: AutomationState): AutomationEvent[] {
  if (state.status === 'ABSENT') return [];
  const order = state.openOrders[outcome.orderId];
  if (!order) return [];
  const base = { signalId: order.signalId, automationId: state.automationId, orderId: outcome.orderId };
  switch (outcome.kind) {
    case 'placed':
      return order.placed ? [] : [{ type: 'SignalOrderPlaced', ...base, placedAt: outcome.at }];
    case 'filled':
      if (Number(outcome.filledQuantity) <= order.filled) return [];
      return [
        {
          type: 'SignalOrderFilled',
          ...base,
          symbol: order.symbol,
          side: order.side,
          quantity: outcome.quantity,
          price: outcome.price,
          filledQuantity: outcome.filledQuantity,
          remainingQuantity: outcome.remainingQuantity,
          filledAt: outcome.at,
        },
      ];
    case 'rejected':
      return [
        { type: 'SignalRejected', ...base, reason: brokerReason(outcome.reason), rejectedAt: outcome.at },
      ];
    case 'cancelled':
    case 'expired':
      return [
        {
          type: 'SignalOrderClosed',
          ...base,
          status: outcome.kind === 'cancelled' ? 'CANCELLED' : 'EXPIRED',
          closedAt: outcome.at,
        },
      ];
    default: {
      const unhandled: never = outcome;
      return unhandled;
    }
  }
}

export const automationDecider: Decider<AutomationCommand, AutomationEvent, AutomationState> = {
  initialState,
  evolve,
  decide,
};
