import type { BrokerContext } from '../../broker-context';
import type { ApiHandler } from '../../protocol/api-handler';
import { ErrorCode } from '../../protocol/error-codes';
import { Writer } from '../../protocol/writer';
import { TOPIC_CONFIGS, type TopicConfigs, type ConfigProblem } from '../../storage/topic-configs';
import { brokerProblem, ConfigSource, resolveTopic, ResourceType, unsupportedType } from './config-resources';

interface Synonym {
  readonly name: string;
  readonly value: string;
  readonly source: number;
}

interface ConfigEntry {
  readonly name: string;
  readonly value: string;
  readonly readOnly: boolean;
  readonly source: number;
  readonly synonyms: readonly Synonym[];
}

interface DescribedResource {
  readonly type: number;
  readonly name: string;
  readonly problem?: ConfigProblem;
  readonly entries: readonly ConfigEntry[];
}

/**
 * DescribeConfigs v0-v2 for topics (every config the broker honours, overrides marked as
 * topic configs) and for the broker itself (its defaults, read-only: they are fixed at start).
 */
export function describeConfigsApi(broker: BrokerContext): ApiHandler {
  return {
    key: 32,
    name: 'DescribeConfigs',
    minVersion: 0,
    maxVersion: 2,
    handle: ({ apiVersion, body, nodeId }) => {
      const requests = body.array((r) => ({
        type: r.int8(),
        name: r.string(),
        names: r.nullableArray((n) => n.string()),
      }));
      const includeSynonyms = apiVersion >= 1 ? body.boolean() : false;
      const results = requests.map(({ type, name, names }): DescribedResource => {
        const wanted = (entry: ConfigEntry) =>
          names === null || names.length === 0 || names.includes(entry.name);
        const answer = (entries: ConfigEntry[]) => ({ type, name, entries: entries.filter(wanted) });
        if (type === ResourceType.TOPIC) {
          const resolved = resolveTopic(broker, name);
          if ('problem' in resolved) return { type, name, problem: resolved.problem, entries: [] };
          return answer(topicEntries(resolved.topic.configs));
        }
        if (type === ResourceType.BROKER) {
          const problem = brokerProblem(name, nodeId);
          return problem ? { type, name, problem, entries: [] } : answer(brokerEntries());
        }
        return { type, name, problem: unsupportedType(type), entries: [] };
      });
      return encode(results, apiVersion, includeSynonyms);
    },
  };
}

function topicEntries(configs: TopicConfigs): ConfigEntry[] {
  return TOPIC_CONFIGS.map((definition) => {
    const brokerDefault = {
      name: definition.brokerName,
      value: definition.defaultValue,
      source: ConfigSource.DEFAULT_CONFIG,
    };
    const override = configs[definition.name];
    if (override === undefined) {
      return {
        name: definition.name,
        value: definition.defaultValue,
        readOnly: false,
        source: ConfigSource.DEFAULT_CONFIG,
        synonyms: [brokerDefault],
      };
    }
    const topicValue = { name: definition.name, value: override, source: ConfigSource.DYNAMIC_TOPIC_CONFIG };
    return { ...topicValue, readOnly: false, synonyms: [topicValue, brokerDefault] };
  });
}

function brokerEntries(): ConfigEntry[] {
  return TOPIC_CONFIGS.map((definition) => {
    const entry = {
      name: definition.brokerName,
      value: definition.defaultValue,
      source: ConfigSource.DEFAULT_CONFIG,
    };
    return { ...entry, readOnly: true, synonyms: [entry] };
  });
}

function encode(results: readonly DescribedResource[], version: number, includeSynonyms: boolean): Writer {
  return new Writer().int32(0).array(results, (w, result) => {
    w.int16(result.problem?.errorCode ?? ErrorCode.NONE)
      .nullableString(result.problem?.message ?? null)
      .int8(result.type)
      .string(result.name)
      .array(result.entries, (ew, entry) => {
        ew.string(entry.name).nullableString(entry.value).boolean(entry.readOnly);
        if (version === 0) {
          ew.boolean(entry.source === ConfigSource.DEFAULT_CONFIG).boolean(false);
          return;
        }
        ew.int8(entry.source)
          .boolean(false)
          .array(includeSynonyms ? entry.synonyms : [], (sw, s) =>
            sw.string(s.name).nullableString(s.value).int8(s.source),
          );
      });
  });
}
