import type { Envelope } from '@tradecore/eventing';
import type { AutomationEvent } from '../domain/automation.decider';
import { accepted, at, created, exitsPlaced } from '../domain/test/automation.fixtures';
import { integrationMessages } from './integration-events';

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

const onPaper = { userId: 'u-1', virtualAccountId: 'va-1' };
const onAlpaca = { userId: 'u-1', accountId: 'acc-9', broker: 'alpaca' as const, virtualAccountId: null };

/** Signal 1's take-profit at 200.00 and stop-loss at 180.00 for 3 AAPL, placed for the account `addressee` names. */
const exitsPlacedFor = (addressee: typeof onPaper | typeof onAlpaca) =>
  exitsPlaced({
    quantity: '3',
    takeProfit: { orderId: 'tp-1', limitPrice: '200.00' },
    stopLoss: { orderId: 'sl-1', stopPrice: '180.00' },
    ...addressee,
  });

/** The automation's own event, published keyed by automation, without a field it keeps inside. */
const published = (type: string, inside: string) => ({
  topic: 'automation.events',
  key: 'auto-1',
  type,
  payload: expect.not.objectContaining({ [inside]: expect.anything() }),
});
const toPaperBroker = (type: string, payload: object) => ({
  topic: 'virtual-broker.commands',
  key: 'va-1',
  type,
  payload,
});
const toBrokerConnection = (type: string, payload: object) => ({
  topic: 'broker-connection.commands',
  key: 'acc-9',
  type,
  payload,
});
const paperLeg = { virtualAccountId: 'va-1', userId: 'u-1', symbol: 'AAPL', side: 'sell', quantity: '3' };
const exitsOf = { ocoGroupId: 'oco-1', timeInForce: 'gtc' };
const limitBuyOf3 = { kind: 'limit', quantity: '3', limitPrice: '190.50', positionAfter: 3 } as const;

describe('automation integration messages', () => {
  it('never publishes the webhook token hash, nor a token rotation', () => {
    const messages = integrationMessages(envelopeOf(created()));
    expect(JSON.stringify(messages)).not.toContain('hash-1');
    expect(messages).toEqual([
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

  it.each([
    {
      what: 'sends an accepted signal to the paper broker keyed by its account, and publishes it keyed by automation',
      event: accepted(1, { ...limitBuyOf3, timeInForce: 'gtc', ...onPaper }),
      sent: [
        published('SignalAccepted', 'positionAfter'),
        toPaperBroker('PlaceOrder', {
          orderId: 'ord-1',
          ...onPaper,
          symbol: 'AAPL',
          side: 'buy',
          kind: 'limit',
          quantity: '3',
          limitPrice: '190.50',
          timeInForce: 'gtc',
        }),
      ],
    },
    {
      what: 'sends a take-profit limit and a stop-loss stop order, one-cancels-other and good till cancelled',
      event: exitsPlacedFor(onPaper),
      sent: [
        published('SignalExitsPlaced', 'userId'),
        toPaperBroker('PlaceOrder', {
          ...paperLeg,
          orderId: 'tp-1',
          kind: 'limit',
          limitPrice: '200.00',
          ...exitsOf,
        }),
        toPaperBroker('PlaceOrder', {
          ...paperLeg,
          orderId: 'sl-1',
          kind: 'stop',
          stopPrice: '180.00',
          ...exitsOf,
        }),
      ],
    },
    {
      what: 'cancels the open take-profit and stop-loss before the order that sells their shares',
      event: accepted(2, {
        side: 'sell',
        quantity: '3',
        positionAfter: 0,
        entriesAfter: 0,
        entry: false,
        cancelsFirst: ['tp-1', 'sl-1'],
        ...onPaper,
      }),
      sent: [
        published('SignalAccepted', 'cancelsFirst'),
        toPaperBroker('CancelOrder', expect.objectContaining({ orderId: 'tp-1' })),
        toPaperBroker('CancelOrder', expect.objectContaining({ orderId: 'sl-1' })),
        toPaperBroker('PlaceOrder', expect.objectContaining({ orderId: 'ord-2' })),
      ],
    },
    {
      what: 'sends the orders of a real broker account to broker-connection, keyed by the account, in its words',
      event: accepted(3, { ...limitBuyOf3, quantity: '4', positionAfter: 4, ...onAlpaca }),
      sent: [
        published('SignalAccepted', 'broker'),
        toBrokerConnection('PlaceBrokerOrder', {
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
        }),
      ],
    },
    {
      what: "sends a real broker account's cancels to broker-connection, keyed by the account",
      event: {
        type: 'SignalCancelSent',
        signalId: 'sig-4',
        automationId: 'auto-1',
        symbol: 'AAPL',
        orderIds: ['ord-3'],
        decidedAt: at,
        ...onAlpaca,
      },
      sent: [
        published('SignalCancelSent', 'broker'),
        toBrokerConnection('CancelBrokerOrder', { orderId: 'ord-3', accountId: 'acc-9', userId: 'u-1' }),
      ],
    },
    {
      what: 'sends the take-profit and stop-loss of a real account as one group for the broker to hold one-cancels-other',
      event: exitsPlacedFor(onAlpaca),
      sent: [
        published('SignalExitsPlaced', 'broker'),
        toBrokerConnection('PlaceBrokerExitOrders', {
          groupId: 'oco-1',
          accountId: 'acc-9',
          userId: 'u-1',
          symbol: 'AAPL',
          side: 'SELL',
          quantity: 3,
          timeInForce: 'GTC',
          takeProfit: { orderId: 'tp-1', limitPrice: '200.00' },
          stopLoss: { orderId: 'sl-1', stopPrice: '180.00' },
        }),
      ],
    },
  ] satisfies { what: string; event: AutomationEvent; sent: object[] }[])('$what', ({ event, sent }) => {
    expect(integrationMessages(envelopeOf(event))).toEqual(
      sent.map((message) => expect.objectContaining(message)),
    );
  });
});
