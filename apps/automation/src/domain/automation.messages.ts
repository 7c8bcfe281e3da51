import type {
  Flat,
  AutomationCreated,
  AutomationDeleted,
  AutomationDeletionCause,
  AutomationPaused,
  AutomationRestored,
  AutomationResumed,
  AutomationSettings,
  AutomationUpdated,
  BrokerKind,
  Decimal,
  ExitTarget,
  OrderSide,
  Reason,
  SignalAccepted,
  SignalCancelSent,
  SignalExitsPlaced,
  SignalExitUpdated,
  SignalOrderClosed,
  SignalOrderFilled,
  SignalOrderPlaced,
  SignalRejected,
  WebhookSignal,
} from '@tradecore/contracts';

/** The token itself is never stored: only its SHA-256, which the webhook looks up. */
export type AutomationCreatedInternally = Flat<AutomationCreated> & { readonly tokenHash: string };

export interface WebhookTokenRotated {
  readonly type: 'WebhookTokenRotated';
  readonly automationId: string;
  readonly tokenHash: string;
  readonly rotatedAt: string;
}

/** Only the id: the secret itself is derived from it and a server key, and shown to the owner once. */
export interface WebhookSigningSecretIssued {
  readonly type: 'WebhookSigningSecretIssued';
  readonly automationId: string;
  readonly secretId: string;
  readonly issuedAt: string;
}

export interface WebhookSigningSecretRevoked {
  readonly type: 'WebhookSigningSecretRevoked';
  readonly automationId: string;
  readonly revokedAt: string;
}

/**
 * Whom an order command acts for, and where it goes: to virtual-broker for a paper account (by its
 * `virtualAccountId`), to broker-connection for a real broker's. Events recorded before automations
 * traded real accounts carry only `userId` and `virtualAccountId`: paper.
 */
export interface OrderAddressee {
  readonly userId: string;
  readonly accountId?: string;
  readonly broker?: BrokerKind;
  readonly virtualAccountId: string | null;
}

/** An entry's take-profit and stop-loss, for the `quantity` it opens (not what it closes of a reversed position). */
export interface Exits {
  readonly quantity: number;
  readonly takeProfit?: ExitTarget;
  readonly stopLoss?: ExitTarget;
}

/** Where the position stands once the accepted order is done, as far as the automation can tell yet. */
export interface PositionAfter extends OrderAddressee {
  readonly positionAfter: number;
  readonly entriesAfter: number;
  /** Whether this order opened or added to a position (undone if it never fills). */
  readonly entry: boolean;
  readonly exits?: Exits;
  /** Take-profit and stop-loss orders of the symbol cancelled ahead of this order, which sells the shares they hold. */
  readonly cancelsFirst?: readonly string[];
}

export type AutomationEvent =
  | AutomationCreatedInternally
  | Flat<AutomationUpdated>
  | Flat<AutomationPaused>
  | Flat<AutomationResumed>
  | Flat<AutomationDeleted>
  | Flat<AutomationRestored>
  | WebhookTokenRotated
  | WebhookSigningSecretIssued
  | WebhookSigningSecretRevoked
  | (Flat<SignalAccepted> & PositionAfter)
  | (Flat<SignalCancelSent> & OrderAddressee)
  | (Flat<SignalExitsPlaced> & OrderAddressee)
  | Flat<SignalExitUpdated>
  | Flat<SignalRejected>
  | Flat<SignalOrderPlaced>
  | Flat<SignalOrderFilled>
  | Flat<SignalOrderClosed>;

export interface AutomationAccount {
  readonly accountId: string;
  readonly connectionId: string;
  readonly broker: BrokerKind;
  /** A paper account's id at virtual-broker; null for a real broker's account. */
  readonly virtualAccountId: string | null;
}

/** What the automation knows of its account when a signal arrives, from broker-account's events. */
export interface AccountFacts {
  readonly status: 'active' | 'gone';
  readonly equity?: Decimal;
}

export type OrderOutcome =
  | { readonly kind: 'placed'; readonly orderId: string; readonly at: string }
  | {
      readonly kind: 'filled';
      readonly orderId: string;
      readonly quantity: Decimal;
      readonly price: Decimal;
      readonly filledQuantity: Decimal;
      readonly remainingQuantity: Decimal;
      readonly at: string;
    }
  | { readonly kind: 'rejected'; readonly orderId: string; readonly reason: Reason; readonly at: string }
  | { readonly kind: 'cancelled' | 'expired'; readonly orderId: string; readonly at: string };

export type AutomationCommand =
  | {
      readonly type: 'CreateAutomation';
      readonly automationId: string;
      readonly userId: string;
      readonly account: AutomationAccount;
      readonly settings: AutomationSettings;
      readonly active: boolean;
      readonly tokenHash: string;
      readonly at: string;
    }
  | {
      readonly type: 'UpdateAutomation';
      readonly requestedBy: string;
      readonly changes: Partial<AutomationSettings>;
      readonly at: string;
    }
  /** `requestedBy` absent: the platform pauses it, and says why in `reason`. */
  | {
      readonly type: 'PauseAutomation';
      readonly requestedBy?: string;
      readonly reason?: Reason;
      readonly at: string;
    }
  | { readonly type: 'ResumeAutomation'; readonly requestedBy?: string; readonly at: string }
  | {
      readonly type: 'RotateWebhookToken';
      readonly requestedBy: string;
      readonly tokenHash: string;
      readonly at: string;
    }
  | {
      readonly type: 'IssueSigningSecret';
      readonly requestedBy: string;
      readonly secretId: string;
      readonly at: string;
    }
  | { readonly type: 'RevokeSigningSecret'; readonly requestedBy: string; readonly at: string }
  | {
      readonly type: 'DeleteAutomation';
      readonly requestedBy?: string;
      readonly cause: AutomationDeletionCause;
      /** The saga deletion asking, recorded so that asking again answers the same automations. */
      readonly deletionId?: string;
      readonly at: string;
    }
  | { readonly type: 'RestoreAutomation'; readonly at: string }
  | {
      readonly type: 'DecideSignal';
      readonly signalId: string;
      readonly orderId: string;
      readonly signal: WebhookSignal;
      readonly account: AccountFacts;
      readonly at: string;
    }
  | {
      readonly type: 'RecordOrderOutcome';
      readonly outcome: OrderOutcome;
      /** The ids an entry's take-profit and stop-loss get if this outcome completes it, derived from its order id. */
      readonly exitIds?: ExitIds;
    };

export interface ExitIds {
  readonly takeProfit: string;
  readonly stopLoss: string;
  readonly ocoGroupId: string;
}

export interface Position {
  /** Shares: positive long, negative short; counts accepted orders until they turn out otherwise. */
  readonly quantity: number;
  readonly entries: number;
}

export interface OpenOrder {
  readonly signalId: string;
  readonly symbol: string;
  readonly side: OrderSide;
  readonly quantity: number;
  readonly filled: number;
  readonly placed: boolean;
  readonly entry: boolean;
  readonly exits?: Exits;
  /** Σ quantity × price of its fills, for the average an entry's exits are priced from. */
  readonly filledValueCents?: number;
  /** A take-profit or stop-loss: not counted in the position ahead of its fills, since only one of the pair fills. */
  readonly exitLeg?: boolean;
}

export type AutomationStatus = 'ACTIVE' | 'PAUSED' | 'DELETED';

export interface PresentAutomation {
  readonly status: AutomationStatus;
  readonly automationId: string;
  readonly userId: string;
  readonly account: AutomationAccount;
  readonly settings: AutomationSettings;
  readonly tokenHash: string;
  /** Set: every webhook must be signed with the secret derived from it. */
  readonly signingSecretId?: string;
  readonly pausedReason?: Reason;
  readonly statusBeforeDeletion?: Exclude<AutomationStatus, 'DELETED'>;
  readonly positions: Readonly<Record<string, Position>>;
  readonly openOrders: Readonly<Record<string, OpenOrder>>;
}

export type AutomationState = { readonly status: 'ABSENT' } | PresentAutomation;
