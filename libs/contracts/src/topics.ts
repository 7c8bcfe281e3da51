import {
  type AutomationCommand,
  automationCommandKeyFields,
  automationCommandTypes,
} from './automation/automation.commands';
import { type AutomationEvent, automationEventTypes } from './automation/automation.events';
import {
  type BrokerAccountCommand,
  brokerAccountCommandKeyFields,
  brokerAccountCommandTypes,
} from './broker-account/broker-account.commands';
import { type BrokerAccountEvent, brokerAccountEventTypes } from './broker-account/broker-account.events';
import {
  type BrokerConnectionCommand,
  brokerConnectionCommandKeyFields,
  brokerConnectionCommandTypes,
} from './broker-connection/broker-connection.commands';
import {
  type BrokerConnectionEvent,
  brokerConnectionEventTypes,
} from './broker-connection/broker-connection.events';
import {
  type BrokerOrderCommandMessage,
  brokerOrderCommandKeyFields,
  brokerOrderCommandTypes,
} from './broker-orders/broker-orders.commands';
import { type BrokerOrderEvent, brokerOrderEventTypes } from './broker-orders/broker-orders.events';
import { type OpsTelemetryRecord, opsTelemetryTypes } from './ops/ops.telemetry';
import { type SagaLifecycleEvent, sagaLifecycleEventTypes } from './saga/saga.events';
import { type SagaReplyMessage, sagaReplyTypes } from './saga/saga.replies';
import type { CommandKeyFields } from './message';
import {
  type UserAccountCommand,
  userAccountCommandKeyFields,
  userAccountCommandTypes,
} from './user-account/user-account.commands';
import { type UserAccountEvent, userAccountEventTypes } from './user-account/user-account.events';
import {
  type VirtualBrokerCommand,
  virtualBrokerCommandKeyFields,
  virtualBrokerCommandTypes,
  type VirtualBrokerOrderCommand,
  virtualBrokerOrderCommandKeyFields,
  virtualBrokerOrderCommandTypes,
} from './virtual-broker/virtual-broker.commands';
import { type VirtualBrokerEvent, virtualBrokerEventTypes } from './virtual-broker/virtual-broker.events';

export type ServiceName =
  | 'user-account'
  | 'broker-connection'
  | 'broker-account'
  | 'virtual-broker'
  | 'automation'
  | 'saga-orchestrator';

/** Which messages may appear on which topic. */
export interface TopicMessages {
  'user-account.events': UserAccountEvent;
  'user-account.commands': UserAccountCommand;
  'broker-connection.events': BrokerConnectionEvent;
  'broker-connection.commands': BrokerConnectionCommand | BrokerOrderCommandMessage;
  'broker-account.events': BrokerAccountEvent;
  'broker-orders.events': BrokerOrderEvent;
  'broker-account.commands': BrokerAccountCommand;
  'virtual-broker.events': VirtualBrokerEvent;
  'virtual-broker.commands': VirtualBrokerCommand | VirtualBrokerOrderCommand;
  'automation.events': AutomationEvent;
  'automation.commands': AutomationCommand;
  'saga.replies': SagaReplyMessage;
  'saga-orchestrator.events': SagaLifecycleEvent;
  'ops.telemetry': OpsTelemetryRecord;
}

export type TopicName = keyof TopicMessages;
export type MessageOnTopic<T extends TopicName> = TopicMessages[T];
export type ContractMessage = TopicMessages[TopicName];

export interface TopicInfo<M extends ContractMessage = ContractMessage> {
  /** The service that declares the topic: the publisher of events, the receiver of commands. */
  readonly owner: ServiceName;
  readonly kind: 'events' | 'commands' | 'replies' | 'telemetry';
  /** What the Kafka key is, which fixes the order consumers see. */
  readonly key: string;
  readonly messageTypes: readonly M['type'][];
}

export const topics: { readonly [T in TopicName]: TopicInfo<TopicMessages[T]> } = {
  'user-account.events': {
    owner: 'user-account',
    kind: 'events',
    key: 'userId',
    messageTypes: userAccountEventTypes,
  },
  'user-account.commands': {
    owner: 'user-account',
    kind: 'commands',
    key: 'userId',
    messageTypes: userAccountCommandTypes,
  },
  'broker-connection.events': {
    owner: 'broker-connection',
    kind: 'events',
    key: 'connectionId',
    messageTypes: brokerConnectionEventTypes,
  },
  'broker-connection.commands': {
    owner: 'broker-connection',
    kind: 'commands',
    key: 'connectionId; accountId for orders',
    messageTypes: [...brokerConnectionCommandTypes, ...brokerOrderCommandTypes],
  },
  'broker-account.events': {
    owner: 'broker-account',
    kind: 'events',
    key: 'connectionId or accountId',
    messageTypes: brokerAccountEventTypes,
  },
  'broker-account.commands': {
    owner: 'broker-account',
    kind: 'commands',
    key: 'connectionId',
    messageTypes: brokerAccountCommandTypes,
  },
  'broker-orders.events': {
    owner: 'broker-connection',
    kind: 'events',
    key: 'accountId',
    messageTypes: brokerOrderEventTypes,
  },
  'virtual-broker.events': {
    owner: 'virtual-broker',
    kind: 'events',
    key: 'connectionId, virtualAccountId, or "market" for MarketMarked',
    messageTypes: virtualBrokerEventTypes,
  },
  'virtual-broker.commands': {
    owner: 'virtual-broker',
    kind: 'commands',
    key: 'connectionId; virtualAccountId for orders',
    messageTypes: [...virtualBrokerCommandTypes, ...virtualBrokerOrderCommandTypes],
  },
  'automation.events': {
    owner: 'automation',
    kind: 'events',
    key: 'automationId',
    messageTypes: automationEventTypes,
  },
  'automation.commands': {
    owner: 'automation',
    kind: 'commands',
    key: 'connectionId or userId',
    messageTypes: automationCommandTypes,
  },
  'saga.replies': {
    owner: 'saga-orchestrator',
    kind: 'replies',
    key: 'sagaId',
    messageTypes: sagaReplyTypes,
  },
  'saga-orchestrator.events': {
    owner: 'saga-orchestrator',
    kind: 'events',
    key: 'sagaId',
    messageTypes: sagaLifecycleEventTypes,
  },
  'ops.telemetry': {
    owner: 'saga-orchestrator',
    kind: 'telemetry',
    key: 'messageId',
    messageTypes: opsTelemetryTypes,
  },
};

export const topicNames = Object.keys(topics) as TopicName[];

/** `<context>.<kind>`, lower kebab-case; a dead-letter topic appends `.dlq` to its origin. */
export const topicNamePattern = /^[a-z]+(-[a-z]+)*\.(events|commands|replies|telemetry)$/;

export const dlqTopicOf = <T extends TopicName>(topic: T): `${T}.dlq` => `${topic}.dlq`;

export function isValidTopicName(name: string): boolean {
  return topicNamePattern.test(name.endsWith('.dlq') ? name.slice(0, -'.dlq'.length) : name);
}

const topicByMessageType = new Map<string, TopicName>(
  topicNames.flatMap((topic) => topics[topic].messageTypes.map((type) => [type, topic] as const)),
);

/** Where a message of this type is published, e.g. where the orchestrator sends a saga command. */
export function topicOfMessageType(type: ContractMessage['type']): TopicName {
  const topic = topicByMessageType.get(type);
  if (!topic) throw new Error(`no topic carries message type ${type}`);
  return topic;
}

/** Every message on a commands topic. */
export type ContractCommand = TopicMessages[
  | 'user-account.commands'
  | 'broker-connection.commands'
  | 'broker-account.commands'
  | 'virtual-broker.commands'
  | 'automation.commands'];

const commandKeyFields: CommandKeyFields<ContractCommand> = {
  ...userAccountCommandKeyFields,
  ...brokerConnectionCommandKeyFields,
  ...brokerOrderCommandKeyFields,
  ...brokerAccountCommandKeyFields,
  ...virtualBrokerCommandKeyFields,
  ...virtualBrokerOrderCommandKeyFields,
  ...automationCommandKeyFields,
};

/** The Kafka key of a command, from the key field its contract declares: the aggregate it targets. */
export function commandKeyOf(command: ContractCommand): string {
  const payload: Readonly<Record<string, unknown>> = command.payload;
  return String(payload[commandKeyFields[command.type]]);
}

/** Shaped like eventing's TopicDeclaration, which contracts do not import. */
export interface ServiceTopic {
  readonly name: TopicName;
  readonly partitions: number;
  readonly owned: boolean;
  readonly retentionMs?: number;
}

/**
 * What a service passes to `EventingModule.forRoot({ topics })`: the topics it owns (created
 * at start-up) and those it consumes or publishes to without owning (they must exist).
 */
export function topicsOfService(
  service: ServiceName,
  uses: readonly TopicName[],
  partitions = 3,
): ServiceTopic[] {
  const owned = topicNames.filter((name) => topics[name].owner === service);
  const used = uses.filter((name) => topics[name].owner !== service);
  return [
    // Events are the audit log: kept for good, while the event store stays the source of truth.
    ...owned.map((name) => ({
      name,
      partitions,
      owned: true,
      ...(topics[name].kind === 'events' && { retentionMs: -1 }),
    })),
    ...used.map((name) => ({ name, partitions, owned: false })),
  ];
}
