import type { BrokerContext } from '../../broker-context';
import type { ApiHandler, RequestContext } from '../../protocol/api-handler';
import { ErrorCode } from '../../protocol/error-codes';
import type { Reader } from '../../protocol/reader';
import {
  configsProblem,
  definitionOf,
  listItems,
  type ConfigProblem,
  type TopicConfigs,
} from '../../storage/topic-configs';
import {
  brokerProblem,
  encodeAlterResults,
  failedWith,
  resolveTopic,
  type ResourceResult,
  ResourceType,
  succeeded,
  unsupportedType,
} from './config-resources';

/** What a request asks of one topic's overrides: the new set, or the reason it cannot be had. */
type Outcome = { readonly configs: TopicConfigs } | { readonly problem: ConfigProblem };
type Change = (current: TopicConfigs) => Outcome;

interface ResourceChange {
  readonly type: number;
  readonly name: string;
  readonly change: Change;
}

const Operation = { SET: 0, DELETE: 1, APPEND: 2, SUBTRACT: 3 } as const;

/** AlterConfigs v0-v1: the given entries become the topic's whole set of overrides, the rest revert to defaults. */
export function alterConfigsApi(broker: BrokerContext): ApiHandler {
  return {
    key: 33,
    name: 'AlterConfigs',
    minVersion: 0,
    maxVersion: 1,
    handle: (context) =>
      alter(broker, context, (r) => {
        const entries = r.array((e) => ({ name: e.string(), value: e.nullableString() }));
        return () => {
          const nulls = entries.filter((e) => e.value === null).map((e) => e.name);
          if (nulls.length > 0)
            return invalidRequest(`Null value not supported for topic configs: ${nulls.join(',')}`);
          return { configs: Object.fromEntries(entries.map((e) => [e.name, e.value as string])) };
        };
      }),
  };
}

/** IncrementalAlterConfigs v0-v1 (v1 is flexible): set, delete, append to or subtract from single overrides. */
export function incrementalAlterConfigsApi(broker: BrokerContext): ApiHandler {
  return {
    key: 44,
    name: 'IncrementalAlterConfigs',
    minVersion: 0,
    maxVersion: 1,
    flexibleFrom: 1,
    handle: (context) =>
      alter(broker, context, (r) => {
        const operations = r.array((e) => {
          const operation = { name: e.string(), operation: e.int8(), value: e.nullableString() };
          e.tags();
          return operation;
        });
        return (current) => {
          const names = operations.map((o) => o.name);
          if (new Set(names).size < names.length) return invalidRequest('Error due to duplicate config keys');
          let outcome: Outcome = { configs: current };
          for (const { name, operation, value } of operations) {
            if ('problem' in outcome) break;
            outcome = apply(outcome.configs, name, operation, value);
          }
          return outcome;
        };
      }),
  };
}

function alter(broker: BrokerContext, context: RequestContext, readChange: (r: Reader) => Change) {
  const { body, nodeId } = context;
  const changes = body.array((r): ResourceChange => {
    const resource = { type: r.int8(), name: r.string(), change: readChange(r) };
    r.tags();
    return resource;
  });
  const validateOnly = body.boolean();
  body.tags();
  const results = changes.map(({ type, name, change }): ResourceResult => {
    if (type === ResourceType.BROKER) {
      const problem = brokerProblem(name, nodeId) ?? {
        errorCode: ErrorCode.INVALID_REQUEST,
        message: 'the dev broker is configured at start; its configs cannot be updated dynamically',
      };
      return failedWith(type, name, problem);
    }
    if (type !== ResourceType.TOPIC) return failedWith(type, name, unsupportedType(type));
    const resolved = resolveTopic(broker, name);
    if ('problem' in resolved) return failedWith(type, name, resolved.problem);
    const outcome = change(resolved.topic.configs);
    if ('problem' in outcome) return failedWith(type, name, outcome.problem);
    const problem = configsProblem(outcome.configs);
    if (problem) return failedWith(type, name, problem);
    if (!validateOnly) {
      broker.store.setConfigs(name, outcome.configs);
      broker.logger.info(`dev-broker: topic ${name} configs now ${JSON.stringify(outcome.configs)}`);
    }
    return succeeded(type, name);
  });
  return encodeAlterResults(context, results);
}

function apply(current: TopicConfigs, name: string, operation: number, value: string | null): Outcome {
  if (operation === Operation.DELETE) {
    return { configs: Object.fromEntries(Object.entries(current).filter(([key]) => key !== name)) };
  }
  if (operation !== Operation.SET && operation !== Operation.APPEND && operation !== Operation.SUBTRACT) {
    return invalidRequest(`Unknown config operation ${operation} for ${name}`);
  }
  if (value === null) return invalidRequest(`Null value not supported for : ${name}`);
  if (operation === Operation.SET) return { configs: { ...current, [name]: value } };
  const definition = definitionOf(name);
  if (!definition) return invalidConfig(`Unknown topic config name: ${name}`);
  const verb = operation === Operation.APPEND ? 'append' : 'subtract';
  if (definition.type !== 'list') {
    return invalidConfig(`Config value ${verb} is not allowed for config key: ${name}`);
  }
  const items = listItems(current[name] ?? definition.defaultValue);
  const given = listItems(value);
  const result =
    operation === Operation.APPEND
      ? [...items, ...given.filter((item) => !items.includes(item))]
      : items.filter((item) => !given.includes(item));
  return { configs: { ...current, [name]: result.join(',') } };
}

function invalidRequest(message: string): Outcome {
  return { problem: { errorCode: ErrorCode.INVALID_REQUEST, message } };
}

function invalidConfig(message: string): Outcome {
  return { problem: { errorCode: ErrorCode.INVALID_CONFIG, message } };
}
