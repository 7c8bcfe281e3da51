import type { AutomationSettings } from '@tradecore/contracts';
import { type Decider, DomainError } from '@tradecore/eventing/domain';
import type {
  AutomationCommand,
  AutomationEvent,
  AutomationState,
  OpenOrder,
  PresentAutomation,
} from './automation.messages';
import {
  applyExitLeg,
  newOrder,
  recordOutcome,
  undoUnfilled,
  withExitLegs,
  withOrder,
  withoutOrder,
} from './automation-orders';
import { exitLegsOf } from './exit-orders';
import { addresseeOf, centsOf, decideSignal, formatCents } from './signal-decision';

export * from './automation.messages';

// One stream per automation: its settings, its signals' decisions and the orders they placed, so
// a pyramiding limit holds however fast signals arrive.

const initialState: AutomationState = { status: 'ABSENT' };

function evolve(state: AutomationState, event: AutomationEvent): AutomationState {
  if (event.type === 'AutomationCreated')
    return {
      status: event.active ? 'ACTIVE' : 'PAUSED',
      automationId: event.automationId,
      userId: event.userId,
      account: {
        accountId: event.accountId,
        connectionId: event.connectionId,
        broker: event.broker,
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
        ...newOrder(event),
        entry: event.entry,
        ...(event.exits && { exits: event.exits }),
        filledValueCents: 0,
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
        : withOrder(state, event.orderId, (order) => ({
            ...order,
            filled: Number(event.filledQuantity),
            filledValueCents: (order.filledValueCents ?? 0) + Number(event.quantity) * centsOf(event.price),
          }));
    case 'SignalExitsPlaced':
      return withExitLegs(state, event);
    case 'SignalExitUpdated':
      return applyExitLeg(state, event);
    case 'SignalCancelSent':
      return state;
    case 'SignalRejected':
    case 'SignalOrderClosed':
      return event.orderId === undefined ? state : undoUnfilled(state, event.orderId);
    default: {
      const unhandled: never = event;
      return unhandled;
    }
  }
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

function decide(command: AutomationCommand, state: AutomationState): AutomationEvent[] {
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
          broker: command.account.broker,
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
        {
          type: 'AutomationDeleted',
          ...refOf(automation),
          cause: command.cause,
          ...(command.deletionId !== undefined && { deletionId: command.deletionId }),
          deletedAt: command.at,
        },
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
      return recordOutcome(command.outcome, state, command.exitIds);
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
  const addressee = addresseeOf(state);
  if ('cancel' in decision)
    return [{ type: 'SignalCancelSent', ...base, ...decision.cancel, decidedAt: command.at, ...addressee }];
  const intent = decision.accepted;
  const cancelsFirst = intent.entry ? [] : exitLegsOf(state, intent.symbol);
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
      ...(intent.exits && { exits: intent.exits }),
      ...(cancelsFirst.length > 0 && { cancelsFirst }),
      ...addressee,
    },
  ];
}

export const automationDecider: Decider<AutomationCommand, AutomationEvent, AutomationState> = {
  initialState,
  evolve,
  decide,
};
