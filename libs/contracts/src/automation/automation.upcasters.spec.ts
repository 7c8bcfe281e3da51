import type { AutomationCreatedV1 } from './automation.events';
import { automationCreatedV1ToV2 } from './automation.upcasters';

describe('AutomationCreated v1 → v2', () => {
  it('names the virtual broker, the only one v1 automations traded, and keeps everything else', () => {
    const v1: AutomationCreatedV1['payload'] = {
      automationId: 'auto-1',
      userId: 'user-1',
      accountId: 'acc-1',
      connectionId: 'conn-1',
      virtualAccountId: 'va-1',
      settings: {
        name: 'AAPL',
        symbol: 'AAPL',
        sizing: { kind: 'fixed-quantity', quantity: 1 },
        orderType: 'market',
        limitOffsetPercent: '0',
        timeInForce: 'day',
        maxEntriesPerDirection: 1,
        onOppositeSignal: 'close',
      },
      active: true,
      createdAt: '2026-01-06T10:00:00.000Z',
    };

    expect(automationCreatedV1ToV2.upcast(v1)).toEqual({ ...v1, broker: 'virtual' });
  });
});
