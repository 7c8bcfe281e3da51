import { AsyncLocalStorage } from 'node:async_hooks';
import { v7 as uuidv7 } from 'uuid';
import type { Envelope, MessageMetadata } from './envelope';

/**
 * What the code running right now is handling: an HTTP request or a consumed message.
 * Messages emitted inside inherit the correlation id and take the handled message's id
 * as causation id, so handlers never thread metadata by hand.
 */
export interface MessageContext {
  readonly correlationId: string;
  /** The id of the message being handled; null for an HTTP request. */
  readonly messageId: string | null;
  /** What caused the message being handled; logged, never inherited (a new message's cause is messageId). */
  readonly causationId?: string | null;
  readonly streamId?: string;
  readonly messageType?: string;
  readonly sagaId?: string;
  readonly sagaStep?: string;
  readonly userId?: string;
  readonly traceparent?: string;
}

// A holder rather than the context itself, so that code running later in the same request
// (an auth guard learning the user id) can amend what everything after it inherits.
const storage = new AsyncLocalStorage<{ context: MessageContext }>();

export function runInMessageContext<T>(context: MessageContext, work: () => T): T {
  return storage.run({ context }, work);
}

export function currentMessageContext(): MessageContext | undefined {
  return storage.getStore()?.context;
}

/** Adds what was learnt after the context began (e.g. the authenticated user); false outside one. */
export function amendMessageContext(
  patch: Partial<Omit<MessageContext, 'correlationId' | 'messageId'>>,
): boolean {
  const holder = storage.getStore();
  if (!holder) return false;
  holder.context = { ...holder.context, ...patch };
  return true;
}

export function contextOfEnvelope(envelope: Envelope): MessageContext {
  return {
    correlationId: envelope.correlationId,
    messageId: envelope.messageId,
    causationId: envelope.causationId,
    streamId: envelope.streamId,
    messageType: envelope.type,
    sagaId: envelope.sagaId,
    sagaStep: envelope.sagaStep,
    userId: envelope.userId,
    traceparent: envelope.traceparent,
  };
}

/** Metadata for a new message: inherited from the current context, or a fresh correlation. */
export function metadataFromContext(context = currentMessageContext()): MessageMetadata {
  if (!context) return { correlationId: uuidv7(), causationId: null };
  return {
    correlationId: context.correlationId,
    causationId: context.messageId,
    sagaId: context.sagaId,
    sagaStep: context.sagaStep,
    userId: context.userId,
    traceparent: context.traceparent,
  };
}

/** Given metadata, continuing the trace of the hop running now (its span is the messages' parent). */
export function withCurrentTrace(metadata: MessageMetadata): MessageMetadata {
  const traceparent = currentMessageContext()?.traceparent;
  return traceparent ? { ...metadata, traceparent } : metadata;
}

export const newMessageId = (): string => uuidv7();
