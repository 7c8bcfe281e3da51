import type { EntityManager } from 'typeorm';
import type { Envelope } from '../envelope/envelope';
import { toKafkaRecord } from '../envelope/kafka-message';
import { envelopeOfMessage } from '../outbox/outgoing-message';
import type { PersonalData } from '../privacy/personal-data';
import type { AppendOptions } from './event-store.types';
import { metadataOf } from './new-envelopes';

export interface AppendParameters {
  /** In the order AppendStatements lays them out: shared, then six per event, then five per outbox row. */
  readonly params: unknown[];
  readonly outboxRows: number;
}

type Message = { type: string; payload: unknown };

/**
 * The parameters of one append, with personal fields sealed: the stored events for this service,
 * and each copy a topic gets for the service that reads it there.
 */
export async function appendParameters(
  manager: EntityManager,
  personalData: PersonalData | undefined,
  append: { streamType: string; expectedVersion: number; envelopes: readonly Envelope[] },
  { topic: route, outgoing }: Pick<AppendOptions, 'topic' | 'outgoing'>,
): Promise<AppendParameters> {
  const { streamType, expectedVersion, envelopes } = append;
  const seal = <M extends Message>(message: M) =>
    personalData ? personalData.seal(message, manager) : message;
  const stored = await Promise.all(envelopes.map(seal));
  // A copy for a topic is sealed for the service that reads it there, where the type names one.
  const sealOutgoing = <M extends Message>(message: M, sealed?: M) =>
    personalData ? personalData.sealOutgoing(message, manager, sealed) : message;
  const params: unknown[] = [envelopes[0].streamId, streamType, expectedVersion, envelopes[0].occurredAt];
  for (const envelope of stored) {
    params.push(
      envelope.streamVersion,
      envelope.messageId,
      envelope.type,
      envelope.schemaVersion,
      JSON.stringify(envelope.payload),
      JSON.stringify(metadataOf(envelope)),
    );
  }
  let outboxRows = 0;
  const queue = (version: number, topic: string, sealed: Envelope) => {
    const { value, headers } = toKafkaRecord(sealed);
    params.push(version, topic, sealed.streamId, value, JSON.stringify(headers));
    outboxRows += 1;
  };
  for (const [index, envelope] of envelopes.entries()) {
    const topic = typeof route === 'function' ? route(envelope) : route;
    if (topic) queue(envelope.streamVersion, topic, await sealOutgoing(envelope, stored[index]));
    for (const message of outgoing?.(envelope) ?? [])
      queue(
        envelope.streamVersion,
        message.topic,
        await sealOutgoing(
          envelopeOfMessage({ ...message, metadata: { ...metadataOf(envelope), ...message.metadata } }),
        ),
      );
  }
  return { params, outboxRows };
}
