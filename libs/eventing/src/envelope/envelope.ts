import type { ContractMessage, MessageOnTopic, TopicName } from '@tradecore/contracts';

/** The one shape every event and command takes on the wire and in the stores (docs/architecture.md, "The write path"). */
export interface Envelope<TPayload = unknown, TType extends string = string> {
  readonly messageId: string;
  readonly type: TType;
  readonly schemaVersion: number;
  readonly streamId: string;
  readonly streamVersion: number;
  readonly occurredAt: string;
  readonly correlationId: string;
  readonly causationId: string | null;
  readonly sagaId?: string;
  readonly sagaStep?: string;
  readonly userId?: string;
  readonly traceparent?: string;
  readonly payload: TPayload;
}

/** The part of an envelope inherited from whatever caused the message. */
export type MessageMetadata = Pick<
  Envelope,
  'correlationId' | 'causationId' | 'sagaId' | 'sagaStep' | 'userId' | 'traceparent'
>;

/**
 * An envelope as a consumer of topic T receives it: a union narrowed by `type`, each with its
 * contract's payload. The consumer's `knownTypes` keeps anything else off the handler.
 */
export type Received<T extends TopicName> =
  MessageOnTopic<T> extends infer M
    ? M extends { readonly type: infer Type extends string; readonly payload: infer Payload }
      ? Envelope<Payload, Type>
      : never
    : never;

/** Narrows an envelope of any topic to one contract message type, for a consumer that sees them all. */
export const isMessageOfType = <Type extends ContractMessage['type']>(
  envelope: Envelope,
  type: Type,
): envelope is Extract<Received<TopicName>, { readonly type: Type }> => envelope.type === type;

/** An internal event as its decider knows it, `{ type, ...payload }`, from its stored envelope. */
export const flatEvent = <Event extends { readonly type: string }>(
  envelope: Pick<Envelope, 'type' | 'payload'>,
): Event => ({ type: envelope.type, ...(envelope.payload as object) }) as unknown as Event;

/** The contract message a received envelope carries, for code written against the contract's types. */
export function contractMessageOf<T extends TopicName>(received: Received<T>): MessageOnTopic<T> {
  const { type, schemaVersion, payload } = received as Envelope;
  return { type, schemaVersion, payload } as unknown as MessageOnTopic<T>;
}
