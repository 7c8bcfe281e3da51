import type { EntityManager } from 'typeorm';
import type { AutomationSettings, BrokerKind, Reason } from '@tradecore/contracts';
import { DomainError } from '@tradecore/eventing';
import { tableOf } from '../../projections/tables';

export type AutomationView = AutomationSettings & {
  readonly automationId: string;
  readonly accountId: string;
  /** The account's broker: `virtual` (paper) orders go to virtual-broker, the others to broker-connection. */
  readonly broker: BrokerKind;
  readonly status: 'ACTIVE' | 'PAUSED';
  readonly pausedReason: Reason | null;
  /** Whether webhooks must be signed (POST /automations/:id/signing-secret). */
  readonly signedWebhooks: boolean;
  readonly createdAt: string;
  readonly updatedAt: string;
};

export interface SignalView {
  readonly signalId: string;
  readonly status: string;
  readonly payload: unknown;
  readonly reason: Reason | null;
  readonly order: Record<string, unknown> | null;
  readonly orderId: string | null;
  readonly filledQuantity: string;
  readonly averageFillPrice: string | null;
  readonly receivedAt: string;
  readonly decidedAt: string | null;
  readonly placedAt: string | null;
  readonly filledAt: string | null;
  /** Milliseconds from receipt to each later step. */
  readonly timings: {
    readonly decidedMs: number | null;
    readonly placedMs: number | null;
    readonly filledMs: number | null;
  };
}

interface AutomationRow {
  automation_id: string;
  account_id: string;
  broker: BrokerKind;
  settings: AutomationSettings;
  status: 'ACTIVE' | 'PAUSED';
  paused_reason: Reason | null;
  signing_secret_id: string | null;
  created_at: Date;
  updated_at: Date;
}

const toView = (row: AutomationRow): AutomationView => ({
  automationId: row.automation_id,
  accountId: row.account_id,
  broker: row.broker,
  ...row.settings,
  status: row.status,
  pausedReason: row.paused_reason,
  signedWebhooks: row.signing_secret_id !== null,
  createdAt: row.created_at.toISOString(),
  updatedAt: row.updated_at.toISOString(),
});

/** Only the caller's, and never a deleted one: anything else answers like a missing automation. */
export async function automationsOfUser(manager: EntityManager, userId: string, automationId?: string) {
  const rows: AutomationRow[] = await manager.query(
    `SELECT * FROM ${tableOf(manager, 'automations')}
     WHERE user_id = $1 AND status <> 'DELETED' AND ($2::uuid IS NULL OR automation_id = $2)
     ORDER BY created_at`,
    [userId, automationId ?? null],
  );
  return rows.map(toView);
}

export async function automationOfUser(manager: EntityManager, automationId: string, userId: string) {
  const [view] = await automationsOfUser(manager, userId, automationId);
  if (!view)
    throw new DomainError('AUTOMATION_NOT_FOUND', 'no automation with this id belongs to you; check the id');
  return view;
}

interface SignalRow {
  signal_id: string;
  status: string;
  payload: unknown;
  reason: Reason | null;
  order: Record<string, unknown> | null;
  order_id: string | null;
  filled_quantity: string;
  average_fill_price: string | null;
  received_at: Date;
  decided_at: Date | null;
  placed_at: Date | null;
  filled_at: Date | null;
}

const since = (from: Date, to: Date | null) => (to ? to.getTime() - from.getTime() : null);

export async function signalsOf(
  manager: EntityManager,
  automationId: string,
  limit: number,
): Promise<SignalView[]> {
  const rows: SignalRow[] = await manager.query(
    `SELECT signal_id, status, payload, reason, "order", order_id, filled_quantity::text,
       CASE WHEN filled_quantity > 0 THEN round(fill_notional / filled_quantity, 4)::text END AS average_fill_price,
       received_at, decided_at, placed_at, filled_at
     FROM ${tableOf(manager, 'signals')} WHERE automation_id = $1 ORDER BY received_at DESC, signal_id DESC LIMIT $2`,
    [automationId, limit],
  );
  return rows.map((row) => ({
    signalId: row.signal_id,
    status: row.status,
    payload: row.payload,
    reason: row.reason,
    order: row.order,
    orderId: row.order_id,
    filledQuantity: row.filled_quantity,
    averageFillPrice: row.average_fill_price,
    receivedAt: row.received_at.toISOString(),
    decidedAt: row.decided_at?.toISOString() ?? null,
    placedAt: row.placed_at?.toISOString() ?? null,
    filledAt: row.filled_at?.toISOString() ?? null,
    timings: {
      decidedMs: since(row.received_at, row.decided_at),
      placedMs: since(row.received_at, row.placed_at),
      filledMs: since(row.received_at, row.filled_at),
    },
  }));
}
