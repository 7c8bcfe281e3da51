import { type Envelope, isInstanceGroup, isMessageOfType } from '@tradecore/eventing';
import { type ChaosStack, eventually, schemaOf, SERVICES } from './chaos-stack';
import { consumersBehind } from '../../../scripts/lib/consumer-lag';
import { isTopicReaderGroup } from '../../../scripts/lib/topic-tools';
import { READ_MODELS } from './rebuild-check';
import { FOLLOWED_CONNECTION_EVENTS } from '../../../apps/broker-account/src/features/connection-events/connection-events.consumer';
import { FOLLOWED_PAPER_EVENTS } from '../../../apps/broker-account/src/features/follow-paper-accounts/paper-account-events.consumer';
import { REALTIME_HANDLED_TYPES } from '../../../apps/broker-account/src/features/realtime/realtime-events.consumer';
import { SAGA_TRIGGERS } from '../../../apps/saga-orchestrator/src/features/start-saga/saga-trigger.consumer';
import { ORDER_EVENTS } from '../../../apps/automation/src/features/follow-orders/order-events.consumer';
import { BROKER_ORDER_EVENTS } from '../../../apps/automation/src/features/follow-orders/broker-order-events.consumer';
import { FOLLOWED_BROKER_ORDER_EVENTS } from '../../../apps/broker-account/src/features/follow-broker-orders/broker-order-events.consumer';
import { mayConcernAnAutomation } from '../../../apps/automation/src/features/follow-orders/order-outcomes';

/**
 * Every consumer group of the suite (inbox and dead letters in its service's schema), the topics it
 * reads and, where it acts on some types or messages only, those (the rest leave no inbox row).
 */
export const CONSUMER_GROUPS: readonly {
  group: string;
  schema: string;
  topics: readonly string[];
  handles?: readonly string[];
  handlesMessage?: (envelope: Envelope) => boolean;
  /** A group that keeps no inbox (its writes are idempotent by their own key): the ids it recorded, */
  recorded?: string;
  /** and those a message leaves there. */
  recordedAs?: (envelope: Envelope) => readonly string[];
}[] = [
  { group: 'user-account.delete-user', schema: 'user_account', topics: ['user-account.commands'] },
  {
    group: 'broker-connection.saga-commands',
    schema: 'broker_connection',
    topics: ['broker-connection.commands'],
  },
  { group: 'broker-account.saga-commands', schema: 'broker_account', topics: ['broker-account.commands'] },
  {
    group: 'broker-account.connection-events',
    schema: 'broker_account',
    topics: ['broker-connection.events'],
    handles: FOLLOWED_CONNECTION_EVENTS,
  },
  {
    group: 'broker-account.paper-accounts',
    schema: 'broker_account',
    topics: ['virtual-broker.events'],
    handles: FOLLOWED_PAPER_EVENTS,
  },
  {
    group: 'broker-account.broker-orders',
    schema: 'broker_account',
    topics: ['broker-orders.events'],
    handles: FOLLOWED_BROKER_ORDER_EVENTS,
  },
  {
    group: 'broker-account.realtime',
    schema: 'broker_account',
    // It reads saga-orchestrator.events too, left out here like the orchestrator's own
    // user-erasure group: poison sent there would reach groups this list does not count.
    topics: [
      'broker-orders.events',
      'broker-account.events',
      'broker-connection.events',
      'automation.events',
      'user-account.events',
    ],
    handles: REALTIME_HANDLED_TYPES,
  },
  ...['broker_connection', 'broker_account', 'automation'].map((schema) => ({
    group: `${schema.replace('_', '-')}.ErasureConsumer`,
    schema,
    topics: ['user-account.events'],
    handles: ['UserDeleted'],
  })),
  { group: 'virtual-broker.saga-commands', schema: 'virtual_broker', topics: ['virtual-broker.commands'] },
  { group: 'automation.saga-commands', schema: 'automation', topics: ['automation.commands'] },
  {
    group: 'automation.signal-decisions',
    schema: 'automation',
    topics: ['automation.events'],
    handles: ['SignalReceived'],
  },
  { group: 'automation.broker-accounts', schema: 'automation', topics: ['broker-account.events'] },
  {
    group: 'automation.order-outcomes',
    schema: 'automation',
    topics: ['virtual-broker.events'],
    handles: ORDER_EVENTS,
    handlesMessage: mayConcernAnAutomation,
  },
  {
    group: 'automation.broker-order-outcomes',
    schema: 'automation',
    topics: ['broker-orders.events'],
    handles: BROKER_ORDER_EVENTS,
    handlesMessage: mayConcernAnAutomation,
  },
  {
    group: 'saga-orchestrator.saga-triggers',
    schema: 'saga_orchestrator',
    topics: ['broker-connection.events', 'user-account.events'],
    handles: SAGA_TRIGGERS,
  },
  { group: 'saga-orchestrator.saga-replies', schema: 'saga_orchestrator', topics: ['saga.replies'] },
  {
    group: 'saga-orchestrator.trace',
    schema: 'saga_orchestrator',
    topics: [
      'user-account.events',
      'broker-connection.events',
      'broker-orders.events',
      'broker-account.events',
      'virtual-broker.events',
      'automation.events',
      'saga.replies',
      'ops.telemetry',
    ],
    recorded: 'SELECT source_id AS id FROM saga_orchestrator.trace_entry',
    // A flush of telemetry records becomes a row per record, each named by its record id.
    recordedAs: (envelope) =>
      isMessageOfType(envelope, 'MessagesProcessed')
        ? envelope.payload.records.map((record) => record.recordId)
        : [envelope.messageId],
  },
];
export const CONSUMED_TOPICS = [...new Set(CONSUMER_GROUPS.flatMap((consumer) => consumer.topics))];
export const consumersOf = (topic: string) =>
  CONSUMER_GROUPS.filter((consumer) => consumer.topics.includes(topic)).length;

export async function outboxBacklog(stack: ChaosStack): Promise<number> {
  let pending = 0;
  for (const app of SERVICES)
    pending += Number((await stack.sql(`SELECT count(*)::int AS n FROM ${schemaOf(app)}.outbox`))[0].n);
  return pending;
}

/**
 * Nothing left to publish and nothing left to consume, by any group but the suite's own readers
 * and the per-process revocation readers (a killed process leaves its group behind for good).
 */
export function settled(stack: ChaosStack, timeoutMs: number): Promise<boolean> {
  return eventually(async () => {
    const backlog = await outboxBacklog(stack);
    const behind = await consumersBehind(
      stack.kafka(),
      (group) => isTopicReaderGroup(group) || isInstanceGroup(group),
    );
    if (backlog === 0 && behind.length === 0) return true;
    throw new Error(`outbox backlog ${backlog}; behind: ${behind.slice(0, 8).join(', ')}`);
  }, timeoutMs);
}

/** Dead letters of the suite's poison (keys `poison-…`), per service. */
export async function poisonLetters(stack: ChaosStack): Promise<number> {
  let count = 0;
  for (const app of SERVICES)
    count += Number(
      (
        await stack.sql(
          `SELECT count(*)::int AS n FROM ${schemaOf(app)}.dead_letters WHERE key LIKE 'poison-%'`,
        )
      )[0].n,
    );
  return count;
}

/** Every row users can see, in a comparable form: the read models and each saga's status. */
export async function readModelSnapshot(stack: ChaosStack): Promise<Record<string, string[]>> {
  const parts: Record<string, string[]> = {};
  for (const model of READ_MODELS)
    for (const table of model.tables)
      parts[`${model.schema}.${table}`] = (await stack.sql(`SELECT * FROM ${model.schema}.${table}`))
        .map((row) => JSON.stringify(row, Object.keys(row).sort()))
        .sort();
  parts.sagas = (await stack.sql(`SELECT id, status FROM saga_orchestrator.saga_instance`))
    .map((row) => JSON.stringify(row))
    .sort();
  return parts;
}
