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
