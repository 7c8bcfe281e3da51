import type { EntityManager } from 'typeorm';
import type { Envelope, MessageMetadata } from '../envelope/envelope';
import type { OutgoingMessage } from '../outbox/outgoing-message';

export interface NewEvent {
  readonly type: string;
  readonly schemaVersion?: number;
  readonly payload: unknown;
}

/** Updates a read model in the append's transaction, for the reads that must see their own writes. */
export type InlineProjector = (envelope: Envelope, manager: EntityManager) => Promise<void>;

/** Where an appended event is published; undefined keeps it internal to the service. */
export type TopicRoute = string | ((envelope: Envelope) => string | undefined);

export interface AppendOptions {
  readonly topic?: TopicRoute;
  /**
   * Messages an appended event causes, e.g. its integration event: queued by the append's own
   * statement right after the event's outbox row, inheriting the event's metadata.
   */
  readonly outgoing?: (event: Envelope) => readonly OutgoingMessage[];
  readonly inlineProjectors?: readonly InlineProjector[];
  /**
   * The inline projectors only write and never look at what a statement returns (a rebuild's
   * `batchable`): outside a caller's transaction their statements and the append's travel together
   * in one round trip, as one implicit transaction, instead of BEGIN, one each and COMMIT.
   */
  readonly batchableProjectors?: boolean;
  /** Defaults to the metadata of the message or request being handled (message-context). */
  readonly metadata?: MessageMetadata;
  /** Append inside the caller's transaction, e.g. a consumer's inbox transaction. */
  readonly manager?: EntityManager;
}

export interface AppendResult {
  readonly streamId: string;
  readonly version: number;
  readonly envelopes: readonly Envelope[];
}

export interface StoredEvent {
  readonly globalPosition: number;
  readonly streamType: string;
  readonly envelope: Envelope;
}

export interface StreamFromSnapshot<State> {
  readonly snapshot?: { readonly version: number; readonly state: State };
  readonly events: readonly Pick<Envelope, 'type' | 'streamVersion' | 'payload'>[];
}

export interface Snapshot<State = unknown> {
  readonly streamId: string;
  readonly version: number;
  readonly state: State;
  readonly schemaVersion: number;
}
