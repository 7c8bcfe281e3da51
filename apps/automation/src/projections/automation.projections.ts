import type { ProjectionRegistration } from '@tradecore/eventing';
import { automationProjection } from './automation.projection';

/**
 * Automations and signals are projected from this service's store; the accounts it may trade
 * follow broker-account.events, so only that topic can rebuild them. A signal's stream holds only
 * its receipt: the decision, the order's fills and its exits are events of the automation's stream,
 * which therefore also writes the signal's row and its exit orders.
 */
export const AUTOMATION_PROJECTIONS: readonly ProjectionRegistration[] = [
  {
    source: 'event-store',
    service: 'automation',
    name: 'automations',
    streamTypes: ['Automation', 'Signal'],
    tables: [
      { name: 'automations', streamOf: 'automation_id::text' },
      { name: 'signals', streamOf: 'signal_id::text', alsoWrittenBy: 'automation_id::text' },
      { name: 'exit_orders', streamOf: 'signal_id::text', alsoWrittenBy: 'automation_id::text' },
    ],
    projector: automationProjection,
    batchable: true,
  },
  {
    source: 'kafka',
    service: 'automation',
    name: 'broker-accounts',
    tables: ['broker_accounts'],
    topic: 'broker-account.events',
    consumerGroup: 'automation.broker-accounts',
  },
];
