import type { BrokerContext } from '../broker-context';
import { CONTROLLER_ID } from '../cluster';
import type { ApiHandler } from '../protocol/api-handler';
import { ErrorCode } from '../protocol/error-codes';
import type { Reader } from '../protocol/reader';
import { Writer } from '../protocol/writer';
import { configsProblem, type TopicConfigs } from '../storage/topic-configs';
import { topicNameProblem } from '../storage/topic-name';

const DEFAULT = -1;

interface TopicRequest {
  readonly name: string;
  readonly numPartitions: number;
  readonly replicationFactor: number;
  readonly assignedPartitions: number;
  readonly configs: TopicConfigs;
  readonly duplicateConfig: boolean;
}

interface TopicResult {
  readonly name: string;
  readonly errorCode: ErrorCode;
  readonly message: string | null;
}

/**
 * CreateTopics v0-v1 on the controller. Replication factors up to the node count are accepted
 * (so production settings work) but every partition has the single replica its leader holds.
 */
export function createTopicsApi(broker: BrokerContext): ApiHandler {
  return {
    key: 19,
    name: 'CreateTopics',
    minVersion: 0,
    maxVersion: 1,
    handle: ({ apiVersion, body, nodeId }) => {
      const requests = body.array(readTopic);
      body.int32();
      const validateOnly = apiVersion >= 1 ? body.boolean() : false;
      const results = requests.map((request): TopicResult => {
        const problem =
          nodeId !== CONTROLLER_ID
            ? rejected(ErrorCode.NOT_CONTROLLER, `node ${CONTROLLER_ID} is the controller`)
            : requests.filter((r) => r.name === request.name).length > 1
              ? rejected(ErrorCode.INVALID_REQUEST, 'topic named more than once in the request')
              : validate(broker, request);
        if (problem) return { name: request.name, ...problem };
        const partitions = partitionCount(broker, request);
        if (!validateOnly) broker.store.create(request.name, partitions, request.configs);
        return { name: request.name, errorCode: ErrorCode.NONE, message: null };
      });

      return new Writer().array(results, (w, result) => {
        w.string(result.name).int16(result.errorCode);
        if (apiVersion >= 1) w.nullableString(result.message);
      });
    },
  };
}

function readTopic(reader: Reader): TopicRequest {
  const name = reader.string();
  const numPartitions = reader.int32();
  const replicationFactor = reader.int16();
  const assignedPartitions = reader.array((a) => {
    a.int32();
    return a.array((r) => r.int32());
  }).length;
  const entries = reader.array((c) => [c.string(), c.nullableString()] as const);
  const configs = Object.fromEntries(entries.filter((e): e is [string, string] => e[1] !== null));
  const duplicateConfig = new Set(entries.map(([key]) => key)).size < entries.length;
  return { name, numPartitions, replicationFactor, assignedPartitions, configs, duplicateConfig };
}

function validate(broker: BrokerContext, request: TopicRequest): Omit<TopicResult, 'name'> | undefined {
  const nameProblem = topicNameProblem(request.name);
  if (nameProblem) return rejected(ErrorCode.INVALID_TOPIC_EXCEPTION, nameProblem);
  if (broker.store.get(request.name))
    return rejected(ErrorCode.TOPIC_ALREADY_EXISTS, `topic ${request.name} already exists`);
  if (request.assignedPartitions > 0 && request.numPartitions !== DEFAULT) {
    return rejected(
      ErrorCode.INVALID_REQUEST,
      'give either a partition count or replica assignments, not both',
    );
  }
  if (partitionCount(broker, request) < 1) {
    return rejected(
      ErrorCode.INVALID_PARTITIONS,
      `number of partitions must be at least 1, got ${request.numPartitions}`,
    );
  }
  const nodes = broker.cluster.nodes.length;
  if (
    request.replicationFactor !== DEFAULT &&
    (request.replicationFactor < 1 || request.replicationFactor > nodes)
  ) {
    return rejected(
      ErrorCode.INVALID_REPLICATION_FACTOR,
      `replication factor ${request.replicationFactor} is outside 1..${nodes} (the number of nodes)`,
    );
  }
  if (request.duplicateConfig) return rejected(ErrorCode.INVALID_REQUEST, 'a config is given more than once');
  const configProblem = configsProblem(request.configs);
  if (configProblem) return rejected(configProblem.errorCode, configProblem.message);
  return undefined;
}

function partitionCount(broker: BrokerContext, request: TopicRequest): number {
  if (request.assignedPartitions > 0) return request.assignedPartitions;
  return request.numPartitions === DEFAULT ? broker.defaultPartitions : request.numPartitions;
}

function rejected(errorCode: ErrorCode, message: string): Omit<TopicResult, 'name'> {
  return { errorCode, message };
}
