import type { BrokerContext } from '../../broker-context';
import { ErrorCode } from '../../protocol/error-codes';
import { Writer } from '../../protocol/writer';
import type { ConfigProblem } from '../../storage/topic-configs';
import { topicNameProblem } from '../../storage/topic-name';
import type { Topic } from '../../storage/topic-store';

export const ResourceType = { TOPIC: 2, BROKER: 4 } as const;

export const ConfigSource = { DYNAMIC_TOPIC_CONFIG: 1, DEFAULT_CONFIG: 5 } as const;

export interface ResourceResult {
  readonly type: number;
  readonly name: string;
  readonly errorCode: ErrorCode;
  readonly message: string | null;
}

export type TopicResolution = { readonly topic: Topic } | { readonly problem: ConfigProblem };

export function resolveTopic(broker: BrokerContext, name: string): TopicResolution {
  const nameProblem = topicNameProblem(name);
  if (nameProblem) return { problem: { errorCode: ErrorCode.INVALID_TOPIC_EXCEPTION, message: nameProblem } };
  const topic = broker.store.get(name);
  if (!topic) {
    return {
      problem: { errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, message: `Topic ${name} does not exist` },
    };
  }
  return { topic };
}

/** Kafka answers a broker resource only on that broker ('' meaning the one asked). */
export function brokerProblem(name: string, nodeId: number): ConfigProblem | undefined {
  if (name === '' || name === String(nodeId)) return undefined;
  return {
    errorCode: ErrorCode.INVALID_REQUEST,
    message: `Unexpected broker id, expected ${nodeId} or empty string, but received ${name}`,
  };
}

export function unsupportedType(type: number): ConfigProblem {
  return { errorCode: ErrorCode.INVALID_REQUEST, message: `Unsupported resource type: ${type}` };
}

/** The reply AlterConfigs and IncrementalAlterConfigs share. */
export function encodeAlterResults(
  request: { readonly flexible: boolean },
  results: readonly ResourceResult[],
): Writer {
  return Writer.forResponse(request)
    .int32(0)
    .array(results, (w, r) =>
      w.int16(r.errorCode).nullableString(r.message).int8(r.type).string(r.name).tags(),
    )
    .tags();
}

export function succeeded(type: number, name: string): ResourceResult {
  return { type, name, errorCode: ErrorCode.NONE, message: null };
}

export function failedWith(type: number, name: string, problem: ConfigProblem): ResourceResult {
  return { type, name, errorCode: problem.errorCode, message: problem.message };
}
