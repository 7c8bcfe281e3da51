import type { Envelope } from '@tradecore/eventing';
import type { AutomationEvent } from '../domain/automation.decider';
import { integrationMessages } from './integration-events';

const at = '2026-01-05T10:00:00.000Z';

function envelopeOf(event: AutomationEvent, streamId = 'auto-1'): Envelope {
  const { type, ...payload } = event;
  return {
    messageId: 'm-1',
    type,
    schemaVersion: 1,
    streamId,
    streamVersion: 1,
    occurredAt: at,
    correlationId: 'c-1',
    causationId: 'c-1',
    payload,
  } as Envelope;
}

describe('automation integration messages', () => {
  it('never publishes the webhook token hash, nor a token rotation', () => {
    const created = integrationMessages(
      envelopeOf({
        type: 'AutomationCreated',
        automationId: 'auto-1',
        userId: 'u-1',
        accountId: 'acc-1',
        connectionId: 'conn-1',
        broker: 'virtual',
        virtualAccountId: 'va-1',
        settings: {
          name: 'x',
          symbol: null,
          sizing: { kind: 'fixed-quantity', quantity: 1 },
          orderType: 'market',
          limitOffsetPercent: '0',
          timeInForce: 'day',
          maxEntriesPerDirection: 1,
          onOppositeSignal: 'close',
        },
        active: true,
        tokenHash: 'secret-hash',
        createdAt: at,
      }),
    );
    expect(JSON.stringify(created)).not.toContain('secret-hash');
    expect(created).toEqual([
      expect.objectContaining({
        topic: 'automation.events',
        key: 'auto-1',
        type: 'AutomationCreated',
        schemaVersion: 2,
        payload: expect.objectContaining({ broker: 'virtual', virtualAccountId: 'va-1' }),
      }),
    ]);
    expect(
      integrationMessages(
        envelopeOf({ type: 'WebhookTokenRotated', automationId: 'auto-1', tokenHash: 'h', rotatedAt: at }),
      ),
    ).toEqual([]);
  });

  it('sends an accepted signal to the paper broker keyed by its account, and publishes it keyed by automation', () => {
    const messages = integrationMessages(
      envelopeOf({
        type: 'SignalAccepted',
        signalId: 'sig-1',
        automationId: 'auto-1',
        orderId: 'ord-1',
        symbol: 'AAPL',
        side: 'buy',
        kind: 'limit',
        quantity: '3',
        limitPrice: '190.50',
        timeInForce: 'gtc',
        decidedAt: at,
        positionAfter: 3,
        entriesAfter: 1,
        entry: true,
        userId: 'u-1',
        virtualAccountId: 'va-1',
      }),
    );
    expect(messages.map((message) => [message.topic, message.key, message.type])).toEqual([
      ['automation.events', 'auto-1', 'SignalAccepted'],
      ['virtual-broker.commands', 'va-1', 'PlaceOrder'],
    ]);
    expect(messages[0].payload).not.toHaveProperty('positionAfter');
    expect(messages[1].payload).toEqual({
      orderId: 'ord-1',
      virtualAccountId: 'va-1',
      userId: 'u-1',
      symbol: 'AAPL',
      side: 'buy',
      kind: 'limit',
      quantity: '3',
      limitPrice: '190.50',
      timeInForce: 'gtc',
    });
  });

  it('sends a take-profit limit and a stop-loss stop order, one-cancels-other and good till cancelled', () => {
    const messages = integrationMessages(
      envelopeOf({
        type: 'SignalExitsPlaced',
        signalId: 'sig-1',
        automationId: 'auto-1',
        symbol: 'AAPL',
        side: 'sell',
        quantity: '3',
        ocoGroupId: 'oco-1',
        takeProfit: { orderId: 'tp-1', limitPrice: '200.00' },
        stopLoss: { orderId: 'sl-1', stopPrice: '180.00' },
        decidedAt: at,
        userId: 'u-1',
        virtualAccountId: 'va-1',
      }),
    );
    const leg = { virtualAccountId: 'va-1', userId: 'u-1', symbol: 'AAPL', side: 'sell', quantity: '3' };
    expect(messages.map((message) => message.payload)).toEqual([
      expect.not.objectContaining({ userId: 'u-1' }),
      {
        ...leg,
        orderId: 'tp-1',
        kind: 'limit',
        limitPrice: '200.00',
        ocoGroupId: 'oco-1',
        timeInForce: 'gtc',
      },
      { ...leg, orderId: 'sl-1', kind: 'stop', stopPrice: '180.00', ocoGroupId: 'oco-1', timeInForce: 'gtc' },
    ]);
  });

  it('cancels the open take-profit and stop-loss before the order that sells their shares', () => {
    const messages = integrationMessages(
      envelopeOf({
        type: 'SignalAccepted',
        signalId: 'sig-2',
        automationId: 'auto-1',
        orderId: 'ord-2',
        symbol: 'AAPL',
        side: 'sell',
        kind: 'market',
        quantity: '3',
        timeInForce: 'day',
        decidedAt: at,
        positionAfter: 0,
        entriesAfter: 0,
        entry: false,
        cancelsFirst: ['tp-1', 'sl-1'],
        userId: 'u-1',
        virtualAccountId: 'va-1',
      }),
    );
    expect(
      messages.map((message) => [
        message.key,
        message.type,
        (message.payload as { orderId?: string }).orderId,
      ]),
    ).toEqual([
      ['auto-1', 'SignalAccepted', 'ord-2'],
      ['va-1', 'CancelOrder', 'tp-1'],
      ['va-1', 'CancelOrder', 'sl-1'],
      ['va-1', 'PlaceOrder', 'ord-2'],
    ]);
    expect(messages[0].payload).not.toHaveProperty('cancelsFirst');
  });

  it('sends the orders of a real broker account to broker-connection, keyed by the account, in its words', () => {
    const onAlpaca = { userId: 'u-1', accountId: 'acc-9', broker: 'alpaca' as const, virtualAccountId: null };
    const accepted = integrationMessages(
      envelopeOf({
        type: 'SignalAccepted',
        signalId: 'sig-3',
        automationId: 'auto-1',
        orderId: 'ord-3',
        symbol: 'AAPL',
        side: 'buy',
        kind: 'limit',
        quantity: '4',
        limitPrice: '190.50',
        timeInForce: 'day',
        decidedAt: at,
        positionAfter: 4,
        entriesAfter: 1,
        entry: true,
        ...onAlpaca,
      }),
    );
    expect(accepted.map((message) => [message.topic, message.key, message.type])).toEqual([
      ['automation.events', 'auto-1', 'SignalAccepted'],
      ['broker-connection.commands', 'acc-9', 'PlaceBrokerOrder'],
    ]);
    expect(accepted[0].payload).not.toHaveProperty('broker');
    expect(accepted[1].payload).toEqual({
      orderId: 'ord-3',
      accountId: 'acc-9',
      userId: 'u-1',
      symbol: 'AAPL',
      side: 'BUY',
      kind: 'LIMIT',
      quantity: 4,
      limitPrice: '190.50',
      stopPrice: null,
      timeInForce: 'DAY',
    });
    const cancels = integrationMessages(
      envelopeOf({
        type: 'SignalCancelSent',
        signalId: 'sig-4',
        automationId: 'auto-1',
        symbol: 'AAPL',
        orderIds: ['ord-3'],
        decidedAt: at,
        ...onAlpaca,
      }),
    );
    expect(cancels.slice(1)).toEqual([
      expect.objectContaining({
        topic: 'broker-connection.commands',
        key: 'acc-9',
        type: 'CancelBrokerOrder',
        payload: { orderId: 'ord-3', accountId: 'acc-9', userId: 'u-1' },
      }),
    ]);
  });

  it('sends the take-profit and stop-loss of a real account as one group for the broker to hold one-cancels-other', () => {
    const messages = integrationMessages(
      envelopeOf({
        type: 'SignalExitsPlaced',
        signalId: 'sig-1',
        automationId: 'auto-1',
        symbol: 'AAPL',
        side: 'sell',
        quantity: '3',
        ocoGroupId: 'oco-1',
        takeProfit: { orderId: 'tp-1', limitPrice: '200.00' },
        stopLoss: { orderId: 'sl-1', stopPrice: '180.00' },
        decidedAt: at,
        userId: 'u-1',
        accountId: 'acc-9',
        broker: 'alpaca',
        virtualAccountId: null,
      }),
    );
    expect(messages.slice(1)).toEqual([
      expect.objectContaining({
        topic: 'broker-connection.commands',
        key: 'acc-9',
        type: 'PlaceBrokerExitOrders',
        payload: {
          groupId: 'oco-1',
          accountId: 'acc-9',
          userId: 'u-1',
          symbol: 'AAPL',
          side: 'SELL',
          quantity: 3,
          timeInForce: 'GTC',
          takeProfit: { orderId: 'tp-1', limitPrice: '200.00' },
          stopLoss: { orderId: 'sl-1', stopPrice: '180.00' },
        },
      }),
    ]);
  });
});
