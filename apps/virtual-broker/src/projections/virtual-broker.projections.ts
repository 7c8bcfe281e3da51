import type { ProjectionRegistration } from '@tradecore/eventing';
import { paperAccountProjection } from './paper-account.projection';

/** The read models this service can rebuild from its own event store and check for drift. */
export const VIRTUAL_BROKER_PROJECTIONS: readonly ProjectionRegistration[] = [
  {
    source: 'event-store',
    service: 'virtual-broker',
    name: 'paper-accounts',
    streamTypes: ['PaperAccount'],
    tables: [
      { name: 'paper_accounts', streamOf: 'account_id', versionColumn: 'version' },
      { name: 'orders', streamOf: 'account_id' },
      { name: 'order_events', streamOf: 'account_id' },
      { name: 'positions', streamOf: 'account_id' },
    ],
    projector: paperAccountProjection,
    batchable: true,
  },
];
