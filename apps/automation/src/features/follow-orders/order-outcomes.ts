import type { EntityManager } from 'typeorm';
import { v5 as uuidv5 } from 'uuid';
import type { Envelope } from '@tradecore/eventing';
import type { ExitIds, OrderOutcome } from '../../domain/automation.decider';
import type { AutomationStream } from '../../infrastructure/automation-stream';
import { tableOf } from '../../projections/tables';

const EXIT_ID_NAMESPACE = '6f1d2c4e-8b3a-4f5e-9a7c-1d2e3f4a5b6c';
/** Every order id an automation mints (`orderIdOf`, `exitIdsOf`) is a name-based UUID, version 5. */
const NAME_BASED_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;
const mayBeAutomationOrderId = (orderId: string) => NAME_BASED_UUID.test(orderId);

/**
 * Whether an order event may be about an automation's order, told from its id alone: the order
 * events of everyone trading by hand (ids of other versions) are skipped before the inbox.
 */
export const mayConcernAnAutomation = ({ payload }: Pick<Envelope, 'payload'>): boolean =>
  typeof payload === 'object' &&
  payload !== null &&
  'orderId' in payload &&
  typeof payload.orderId === 'string' &&
  mayBeAutomationOrderId(payload.orderId);

/** An entry's exits follow from its order id, so recording its fill again can never place them twice. */
export const exitIdsOf = (entryOrderId: string): ExitIds => ({
  takeProfit: uuidv5(`${entryOrderId}:take-profit`, EXIT_ID_NAMESPACE),
  stopLoss: uuidv5(`${entryOrderId}:stop-loss`, EXIT_ID_NAMESPACE),
  ocoGroupId: uuidv5(`${entryOrderId}:exits`, EXIT_ID_NAMESPACE),
});

/**
 * Records what a broker service says of an order on the signal that placed it, whichever broker
 * service owns the account; an order no automation placed (someone trading by hand) is skipped.
 */
export async function recordOrderOutcome(
  stream: AutomationStream,
  outcome: OrderOutcome,
  manager: EntityManager,
): Promise<void> {
  const { orderId } = outcome;
  if (!mayBeAutomationOrderId(orderId)) return;
  const [ours]: { automation_id: string }[] = await manager.query(
    `SELECT automation_id FROM ${tableOf(manager, 'signals')} WHERE order_id = $1
     UNION ALL SELECT automation_id FROM ${tableOf(manager, 'exit_orders')} WHERE order_id = $1`,
    [orderId],
  );
  if (!ours) return;
  await stream.execute(
    ours.automation_id,
    { type: 'RecordOrderOutcome', outcome, exitIds: exitIdsOf(orderId) },
    { tx: manager },
  );
}
