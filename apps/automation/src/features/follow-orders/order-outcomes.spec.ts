import { randomUUID } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import { orderIdOf } from '../decide-signals/signal-received.consumer';
import { exitIdsOf, mayConcernAnAutomation } from './order-outcomes';

const eventOf = (orderId: unknown) => ({ payload: { orderId, virtualAccountId: randomUUID() } });

describe('telling an automation order event from its id alone', () => {
  it('keeps every order id an automation mints: entries, take-profits and stop-losses', () => {
    const entry = orderIdOf(randomUUID());
    const { takeProfit, stopLoss } = exitIdsOf(entry);

    expect([entry, takeProfit, stopLoss].map((orderId) => mayConcernAnAutomation(eventOf(orderId)))).toEqual([
      true,
      true,
      true,
    ]);
  });

  it('skips the orders of a trader by hand (server-minted or random ids) and events without an order id', () => {
    const others = [
      eventOf(uuidv7()),
      eventOf(randomUUID()),
      eventOf('ALPACA-123'),
      eventOf(42),
      { payload: {} },
    ];

    expect(others.map(mayConcernAnAutomation)).toEqual([false, false, false, false, false]);
  });
});
