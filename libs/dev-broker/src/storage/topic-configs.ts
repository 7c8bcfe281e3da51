import { ErrorCode } from '../protocol/error-codes';

/** A topic's overrides, name to value, exactly as set; anything absent takes the broker default. */
export type TopicConfigs = Readonly<Record<string, string>>;

export interface ConfigDefinition {
  readonly name: string;
  /** The broker-wide setting a topic falls back to, shown as its synonym by DescribeConfigs. */
  readonly brokerName: string;
  readonly defaultValue: string;
  readonly type: 'long' | 'int' | 'list';
  readonly min?: number;
  readonly allowed?: readonly string[];
}

export interface ConfigProblem {
  readonly errorCode: ErrorCode;
  readonly message: string;
}

/** The topic configs the dev broker honours, with Kafka's defaults and bounds. */
export const TOPIC_CONFIGS: readonly ConfigDefinition[] = [
  {
    name: 'cleanup.policy',
    brokerName: 'log.cleanup.policy',
    defaultValue: 'delete',
    type: 'list',
    allowed: ['delete', 'compact'],
  },
  {
    name: 'max.message.bytes',
    brokerName: 'message.max.bytes',
    defaultValue: '1048588',
    type: 'int',
    min: 0,
  },
  { name: 'min.insync.replicas', brokerName: 'min.insync.replicas', defaultValue: '1', type: 'int', min: 1 },
  { name: 'retention.bytes', brokerName: 'log.retention.bytes', defaultValue: '-1', type: 'long' },
  { name: 'retention.ms', brokerName: 'log.retention.ms', defaultValue: '604800000', type: 'long', min: -1 },
];

/** Topic configs Kafka has but the dev broker does not implement: refused by policy, not as unknown. */
const UNSUPPORTED_KAFKA_CONFIGS = new Set([
  'compression.type',
  'delete.retention.ms',
  'file.delete.delay.ms',
  'flush.messages',
  'flush.ms',
  'follower.replication.throttled.replicas',
  'index.interval.bytes',
  'leader.replication.throttled.replicas',
  'local.retention.bytes',
  'local.retention.ms',
  'max.compaction.lag.ms',
  'message.downconversion.enable',
  'message.format.version',
  'message.timestamp.after.max.ms',
  'message.timestamp.before.max.ms',
  'message.timestamp.difference.max.ms',
  'message.timestamp.type',
  'min.cleanable.dirty.ratio',
  'min.compaction.lag.ms',
  'preallocate',
  'remote.storage.enable',
  'segment.bytes',
  'segment.index.bytes',
  'segment.jitter.ms',
  'segment.ms',
  'unclean.leader.election.enable',
]);

const INT_MAX = 2 ** 31 - 1;
const INT_MIN = -(2 ** 31);

export function definitionOf(name: string): ConfigDefinition | undefined {
  return TOPIC_CONFIGS.find((d) => d.name === name);
}

/** Kafka's answer to one name and value: INVALID_CONFIG for what it would reject, POLICY_VIOLATION for what only we do. */
export function configProblem(name: string, value: string): ConfigProblem | undefined {
  const definition = definitionOf(name);
  if (!definition) {
    if (UNSUPPORTED_KAFKA_CONFIGS.has(name)) {
      return {
        errorCode: ErrorCode.POLICY_VIOLATION,
        message: `the dev broker does not support topic config ${name}`,
      };
    }
    return { errorCode: ErrorCode.INVALID_CONFIG, message: `Unknown topic config name: ${name}` };
  }
  const invalid = (why: string): ConfigProblem => ({
    errorCode: ErrorCode.INVALID_CONFIG,
    message: `Invalid value ${value} for configuration ${name}: ${why}`,
  });
  if (definition.type === 'list') {
    const items = listItems(value);
    const unknown = items.find((item) => !definition.allowed?.includes(item));
    if (items.length === 0 || unknown !== undefined) {
      return invalid(`String must be one of: ${definition.allowed?.join(', ')}`);
    }
    if (name === 'cleanup.policy' && items.includes('compact')) {
      return {
        errorCode: ErrorCode.POLICY_VIOLATION,
        message: 'the dev broker does not compact logs; cleanup.policy must be delete',
      };
    }
    return undefined;
  }
  const trimmed = value.trim();
  if (!/^-?\d+$/.test(trimmed)) return invalid(`Not a number of type ${definition.type.toUpperCase()}`);
  const number = Number(trimmed);
  if (definition.type === 'int' && (number > INT_MAX || number < INT_MIN))
    return invalid('Not a number of type INT');
  if (!Number.isSafeInteger(number)) return invalid('Not a number of type LONG');
  if (definition.min !== undefined && number < definition.min) {
    return invalid(`Value must be at least ${definition.min}`);
  }
  return undefined;
}

export function listItems(value: string): string[] {
  return value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
}

/** The first problem among a whole set of overrides, as Kafka validates a topic's configs together. */
export function configsProblem(configs: TopicConfigs): ConfigProblem | undefined {
  for (const [name, value] of Object.entries(configs)) {
    const problem = configProblem(name, value);
    if (problem) return problem;
  }
  return undefined;
}

export interface EffectiveConfigs {
  readonly retentionMs: number;
  readonly retentionBytes: number;
  readonly maxMessageBytes: number;
}

export function effectiveConfigs(configs: TopicConfigs): EffectiveConfigs {
  const value = (name: string) => Number(configs[name] ?? definitionOf(name)?.defaultValue);
  return {
    retentionMs: value('retention.ms'),
    retentionBytes: value('retention.bytes'),
    maxMessageBytes: value('max.message.bytes'),
  };
}
