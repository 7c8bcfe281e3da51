import type { ProjectionRegistration } from '@tradecore/eventing';
import { connectionSummaryProjection } from './connection-summary.projection';

/** The read models this service can rebuild from its own event store and check for drift. */
export const BROKER_CONNECTION_PROJECTIONS: readonly ProjectionRegistration[] = [
  {
    source: 'event-store',
    service: 'broker-connection',
    name: 'connection-summary',
    streamTypes: ['BrokerConnection'],
    tables: [{ name: 'connections', streamOf: 'connection_id::text', versionColumn: 'version' }],
    projector: connectionSummaryProjection,
    batchable: true,
  },
];
