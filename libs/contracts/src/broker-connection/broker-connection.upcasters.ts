import type { ContractUpcaster } from '../message';
import type {
  BrokerAccountBalancesReported,
  BrokerAccountBalancesReportedV1,
} from './broker-connection.events';

/**
 * v2 says which currency each balance is in. A v1 balance was in its account's currency, and every
 * broker that reported balances under v1 (Alpaca, TradeStation) reported USD accounts only.
 */
export const balancesReportedV1ToV2: ContractUpcaster = {
  type: 'BrokerAccountBalancesReported',
  fromSchemaVersion: 1,
  upcast: (payload): BrokerAccountBalancesReported['payload'] => {
    const v1 = payload as BrokerAccountBalancesReportedV1['payload'];
    return { ...v1, balances: v1.balances.map((balance) => ({ ...balance, currency: 'USD' })) };
  },
};
