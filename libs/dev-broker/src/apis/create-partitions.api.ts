import type { BrokerContext } from '../broker-context';
import { CONTROLLER_ID } from '../cluster';
import type { ApiHandler } from '../protocol/api-handler';
import { ErrorCode } from '../protocol/error-codes';
import { Writer } from '../protocol/writer';

interface PartitionsRequest {
  readonly name: string;
  readonly count: number;
  /** Replica lists for the new partitions; null or empty when the broker chooses. */
  readonly assignments: readonly (readonly number[])[] | null;
}

interface Result {
  readonly name: string;
  readonly errorCode: ErrorCode;
  readonly message: string | null;
}

/**
 * CreatePartitions v0-v1 on the controller: a topic grows to `count` partitions; it never
 * shrinks. New partitions get leaders the same way as at creation, one replica each.
 */
export function createPartitionsApi(broker: BrokerContext): ApiHandler {
  return {
    key: 37,
    name: 'CreatePartitions',
    minVersion: 0,
    maxVersion: 1,
    handle: ({ body, nodeId }) => {
      const requests = body.array((r): PartitionsRequest => ({
        name: r.string(),
        count: r.int32(),
        assignments: r.nullableArray((a) => a.array((b) => b.int32())),
      }));
      body.int32();
      const validateOnly = body.boolean();
      const results = requests.map((request): Result => {
        const problem =
          nodeId !== CONTROLLER_ID
            ? { errorCode: ErrorCode.NOT_CONTROLLER, message: `node ${CONTROLLER_ID} is the controller` }
            : requests.filter((r) => r.name === request.name).length > 1
              ? { errorCode: ErrorCode.INVALID_REQUEST, message: 'Duplicate topic in request.' }
              : validate(broker, request);
        if (problem) return { name: request.name, ...problem };
        if (!validateOnly) {
          broker.store.addPartitions(request.name, request.count);
          broker.logger.info(`dev-broker: topic ${request.name} now has ${request.count} partitions`);
        }
        return { name: request.name, errorCode: ErrorCode.NONE, message: null };
      });
      return new Writer()
        .int32(0)
        .array(results, (w, r) => w.string(r.name).int16(r.errorCode).nullableString(r.message));
    },
  };
}

function validate(
  broker: BrokerContext,
  { name, count, assignments }: PartitionsRequest,
): Omit<Result, 'name'> | undefined {
  const topic = broker.store.get(name);
  if (!topic) {
    return {
      errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
      message: `The topic '${name}' does not exist.`,
    };
  }
  const current = topic.partitions.length;
  if (count <= current) {
    const message =
      count === current
        ? `Topic already has ${current} partitions.`
        : `Topic currently has ${current} partitions, which is higher than the requested ${count}.`;
    return { errorCode: ErrorCode.INVALID_PARTITIONS, message };
  }
  if (!assignments || assignments.length === 0) return undefined;
  if (assignments.length !== count - current) {
    return {
      errorCode: ErrorCode.INVALID_REPLICA_ASSIGNMENT,
      message: `Increasing the number of partitions by ${count - current} but ${assignments.length} assignments provided.`,
    };
  }
  const nodes = broker.cluster.nodes.length;
  const unknown = assignments.flat().find((id) => id < 0 || id >= nodes);
  if (unknown !== undefined) {
    return {
      errorCode: ErrorCode.INVALID_REPLICA_ASSIGNMENT,
      message: `Unknown broker(s) in replica assignment: ${unknown}.`,
    };
  }
  return undefined;
}
