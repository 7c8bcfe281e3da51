import type { BrokerAccountBalancesReportedV1 } from './broker-connection.events';
import { balancesReportedV1ToV2 } from './broker-connection.upcasters';

describe('BrokerAccountBalancesReported v1 → v2', () => {
  it('gives every balance the currency v1 implied, and keeps everything else', () => {
    const v1: BrokerAccountBalancesReportedV1['payload'] = {
      connectionId: 'conn-1',
      userId: 'user-1',
      reportedAt: '2026-01-06T10:00:00.000Z',
      balances: [
        {
          externalAccountId: 'PA-1',
          cash: '1',
          buyingPower: '2',
          equity: '3',
          asOf: '2026-01-06T09:59:00.000Z',
        },
        {
          externalAccountId: 'PA-2',
          cash: '4',
          buyingPower: '5',
          equity: '6',
          asOf: '2026-01-06T09:59:00.000Z',
        },
      ],
    };

    expect(balancesReportedV1ToV2.upcast(v1)).toEqual({
      ...v1,
      balances: v1.balances.map((balance) => ({ ...balance, currency: 'USD' })),
    });
  });
});
