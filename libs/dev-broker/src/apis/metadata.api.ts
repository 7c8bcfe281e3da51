import type { BrokerContext } from '../broker-context';
import { CONTROLLER_ID, LEADER_EPOCH } from '../cluster';
import type { ApiHandler } from '../protocol/api-handler';
import { ErrorCode } from '../protocol/error-codes';
import { Writer } from '../protocol/writer';
import { topicNameProblem } from '../storage/topic-name';
import type { Topic } from '../storage/topic-store';
import { CLUSTER_OPERATIONS, NOT_REQUESTED, TOPIC_OPERATIONS } from './authorized-operations';

const CLUSTER_ID = 'tradecore-dev-broker';

type TopicAnswer = { readonly topic: Topic } | { readonly name: string; readonly errorCode: ErrorCode };

/**
 * Metadata v0-v9. v5 adds offline replicas (always none: nothing is ever offline), v7 the leader
 * epoch, v8 the operations a caller may perform, which without ACLs are all of them; v9 is v8 flexible.
 */
export function metadataApi(broker: BrokerContext): ApiHandler {
  return {
    key: 3,
    name: 'Metadata',
    minVersion: 0,
    maxVersion: 9,
    flexibleFrom: 9,
    handle: (request) => {
      const { apiVersion: version, body } = request;
      const requested = body.nullableArray((r) => {
        const name = r.string();
        r.tags();
        return name;
      });
      const allowAutoCreate = version >= 4 ? body.boolean() : true;
      const withClusterOperations = version >= 8 && body.boolean();
      const withTopicOperations = version >= 8 && body.boolean();
      body.tags();
      const everything = requested === null || (version === 0 && requested.length === 0);
      const answers: TopicAnswer[] = everything
        ? broker.store.all().map((topic) => ({ topic }))
        : requested.map((name) => resolve(broker, name, allowAutoCreate));

      const writer = Writer.forResponse(request);
      if (version >= 3) writer.int32(0);
      writer.array(broker.cluster.nodes, (w, node) => {
        w.int32(node.nodeId).string(broker.cluster.host).int32(node.port);
        if (version >= 1) w.nullableString(null);
        w.tags();
      });
      if (version >= 2) writer.nullableString(CLUSTER_ID);
      if (version >= 1) writer.int32(CONTROLLER_ID);
      writer.array(answers, (w, answer) => {
        const topicOperations = withTopicOperations ? TOPIC_OPERATIONS : NOT_REQUESTED;
        if (!('topic' in answer)) {
          w.int16(answer.errorCode).string(answer.name);
          if (version >= 1) w.boolean(false);
          w.array([], int32);
          if (version >= 8) w.int32(topicOperations);
          w.tags();
          return;
        }
        w.int16(ErrorCode.NONE).string(answer.topic.name);
        if (version >= 1) w.boolean(false);
        w.array(answer.topic.partitions, (pw, _log, partition) => {
          const leader = broker.cluster.leaderOf(answer.topic.name, partition);
          pw.int16(ErrorCode.NONE).int32(partition).int32(leader);
          if (version >= 7) pw.int32(LEADER_EPOCH);
          pw.array([leader], int32).array([leader], int32);
          if (version >= 5) pw.array([], int32);
          pw.tags();
        });
        if (version >= 8) w.int32(topicOperations);
        w.tags();
      });
      if (version >= 8) writer.int32(withClusterOperations ? CLUSTER_OPERATIONS : NOT_REQUESTED);
      return writer.tags();
    },
  };
}

function resolve(broker: BrokerContext, name: string, allowAutoCreate: boolean): TopicAnswer {
  const existing = broker.store.get(name);
  if (existing) return { topic: existing };
  if (topicNameProblem(name)) return { name, errorCode: ErrorCode.INVALID_TOPIC_EXCEPTION };
  if (!broker.autoCreateTopics || !allowAutoCreate)
    return { name, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION };
  broker.logger.info(`dev-broker: auto-created topic ${name} with ${broker.defaultPartitions} partitions`);
  return { topic: broker.store.create(name, broker.defaultPartitions) };
}

function int32(writer: Writer, value: number): void {
  writer.int32(value);
}
