import { type Envelope, type InlineProjector, flatEvent } from '@tradecore/eventing';
import type { AutomationEvent } from '../domain/automation.decider';
import type { SignalEvent } from '../domain/signal.decider';

/**
 * Inline, so the owner reads what they just changed and the webhook finds a new token at once.
 * Timings of a signal (received → decided → placed → filled) are kept on its row.
 */
export function automationProjection(schema: string): InlineProjector {
  const automations = `"${schema}".automations`;
  const signals = `"${schema}".signals`;
  const exitOrders = `"${schema}".exit_orders`;
  return async (envelope: Envelope, manager) => {
    const event = flatEvent<AutomationEvent | SignalEvent>(envelope);
    const at = envelope.occurredAt;
    const query = (sql: string, params: unknown[]) => manager.query(sql, params);
    switch (event.type) {
      case 'AutomationCreated':
        return void (await query(
          `INSERT INTO ${automations} (automation_id, user_id, account_id, connection_id, virtual_account_id,
             settings, status, token_hash, created_at, updated_at, broker)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9, $10)`,
          [
            event.automationId,
            event.userId,
            event.accountId,
            event.connectionId,
            event.virtualAccountId,
            event.settings,
            event.active ? 'ACTIVE' : 'PAUSED',
            event.tokenHash,
            event.createdAt,
            event.broker,
          ],
        ));
      case 'AutomationUpdated':
        return void (await query(
          `UPDATE ${automations} SET settings = $2, updated_at = $3 WHERE automation_id = $1`,
          [event.automationId, event.settings, at],
        ));
      case 'AutomationPaused':
      case 'AutomationResumed':
      case 'AutomationDeleted':
      case 'AutomationRestored': {
        const status =
          event.type === 'AutomationPaused' || (event.type === 'AutomationRestored' && !event.active)
            ? 'PAUSED'
            : event.type === 'AutomationDeleted'
              ? 'DELETED'
              : 'ACTIVE';
        const reason = event.type === 'AutomationPaused' ? (event.reason ?? null) : null;
        const deletedBy = event.type === 'AutomationDeleted' ? (event.deletionId ?? null) : null;
        return void (await query(
          `UPDATE ${automations} SET status = $2,
             paused_reason = CASE WHEN $2 = 'DELETED' THEN paused_reason ELSE $3::jsonb END, updated_at = $4,
             deleted_by = $5
           WHERE automation_id = $1`,
          [event.automationId, status, reason === null ? null : JSON.stringify(reason), at, deletedBy],
        ));
      }
      case 'WebhookTokenRotated':
        return void (await query(
          `UPDATE ${automations} SET token_hash = $2, updated_at = $3 WHERE automation_id = $1`,
          [event.automationId, event.tokenHash, at],
        ));
      case 'WebhookSigningSecretIssued':
      case 'WebhookSigningSecretRevoked':
        return void (await query(
          `UPDATE ${automations} SET signing_secret_id = $2, updated_at = $3 WHERE automation_id = $1`,
          [event.automationId, event.type === 'WebhookSigningSecretIssued' ? event.secretId : null, at],
        ));
      case 'SignalReceived':
        return void (await query(
          `INSERT INTO ${signals} (signal_id, automation_id, payload, status, received_at) VALUES ($1, $2, $3, 'RECEIVED', $4)`,
          [event.signalId, event.automationId, event.signal, event.receivedAt],
        ));
      case 'SignalAccepted': {
        const { symbol, side, kind, quantity, limitPrice, timeInForce } = event;
        return void (await query(
          `UPDATE ${signals} SET status = 'ACCEPTED', order_id = $2, "order" = $3, decided_at = $4 WHERE signal_id = $1`,
          [
            event.signalId,
            event.orderId,
            { symbol, side, kind, quantity, limitPrice, timeInForce },
            event.decidedAt,
          ],
        ));
      }
      case 'SignalCancelSent':
        return void (await query(
          `UPDATE ${signals} SET status = 'CANCEL_SENT', "order" = $2, decided_at = $3 WHERE signal_id = $1`,
          [event.signalId, { symbol: event.symbol, cancelOrderIds: event.orderIds }, event.decidedAt],
        ));
      case 'SignalRejected':
        return void (await query(
          `UPDATE ${signals} SET status = 'REJECTED', reason = $2, decided_at = COALESCE(decided_at, $3) WHERE signal_id = $1`,
          [event.signalId, event.reason, event.rejectedAt],
        ));
      case 'SignalOrderPlaced':
        return void (await query(
          `UPDATE ${signals} SET placed_at = $2, status = CASE WHEN status = 'ACCEPTED' THEN 'PLACED' ELSE status END
           WHERE signal_id = $1`,
          [event.signalId, event.placedAt],
        ));
      case 'SignalOrderFilled':
        return void (await query(
          `UPDATE ${signals} SET filled_quantity = $2, fill_notional = fill_notional + $3::numeric * $4::numeric,
             status = $5, filled_at = $6, placed_at = COALESCE(placed_at, $6)
           WHERE signal_id = $1`,
          [
            event.signalId,
            event.filledQuantity,
            event.quantity,
            event.price,
            Number(event.remainingQuantity) === 0 ? 'FILLED' : 'PARTIALLY_FILLED',
            event.filledAt,
          ],
        ));
      case 'SignalExitsPlaced': {
        const legs = [
          event.takeProfit && {
            orderId: event.takeProfit.orderId,
            kind: 'take-profit',
            limitPrice: event.takeProfit.limitPrice,
          },
          event.stopLoss && {
            orderId: event.stopLoss.orderId,
            kind: 'stop-loss',
            stopPrice: event.stopLoss.stopPrice,
          },
        ].filter((leg) => !!leg);
        for (const leg of legs)
          await query(
            `INSERT INTO ${exitOrders} (order_id, automation_id, signal_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
            [leg.orderId, event.automationId, event.signalId],
          );
        const exits = Object.fromEntries(
          legs.map(({ orderId, ...leg }) => [
            orderId,
            { ...leg, side: event.side, quantity: event.quantity, status: 'SENT' },
          ]),
        );
        return void (await query(
          `UPDATE ${signals} SET "order" = jsonb_set("order", '{exits}', $2::jsonb) WHERE signal_id = $1`,
          [event.signalId, JSON.stringify(exits)],
        ));
      }
      case 'SignalExitUpdated': {
        const change = {
          status: event.status,
          ...(event.price && { lastFillPrice: event.price }),
          ...(event.reason && { reason: event.reason }),
        };
        return void (await query(
          `UPDATE ${signals} SET "order" = jsonb_set("order", ARRAY['exits', $2], "order"->'exits'->$2 || $3::jsonb)
           WHERE signal_id = $1 AND "order"->'exits' ? $2`,
          [event.signalId, event.orderId, JSON.stringify(change)],
        ));
      }
      case 'SignalOrderClosed':
        return void (await query(`UPDATE ${signals} SET status = $2 WHERE signal_id = $1`, [
          event.signalId,
          event.status,
        ]));
      default: {
        const unhandled: never = event;
        return unhandled;
      }
    }
  };
}
