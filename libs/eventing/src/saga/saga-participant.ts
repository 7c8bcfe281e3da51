import type { EntityManager } from 'typeorm';
import type { MessageOnTopic, SagaCommand, SagaCommandResult, TopicName } from '@tradecore/contracts';
import type { Envelope } from '../envelope/envelope';
import type { EventStore } from '../event-store/event-store';
import { answerSagaCommand, type Refusal, type SagaReplying } from './answer-saga-command';
import { validatedPayload } from './validated-payload';

export type CommandTopic = Extract<TopicName, `${string}.commands`>;
type CommandType<T extends CommandTopic> = MessageOnTopic<T>['type'];
type SagaCommandType<T extends CommandTopic> = CommandType<T> & SagaCommand['type'];

export type PayloadOf<T extends CommandTopic, C extends CommandType<T>> = Extract<
  MessageOnTopic<T>,
  { type: C }
>['payload'];

/** What a participant's member gets besides the payload: the inbox transaction the reply commits in. */
export interface CommandContext {
  readonly tx: EntityManager;
  readonly envelope: Envelope;
}

export interface SagaContext<C extends SagaCommand['type'] = SagaCommand['type']> extends CommandContext {
  /** For a command whose only write is one append: `outgoing: reply.alongside(result)` sends the reply with it. */
  readonly reply: SagaReplying<C>;
}

/**
 * One member per command of the topic's contract, named after it: a command added to
 * libs/contracts is a compile error in every participant until it is handled. A saga command
 * answers with its contract's result; a command answered by events (an order) with nothing.
 */
export type ParticipantOf<T extends CommandTopic> = {
  readonly [M in MessageOnTopic<T> as M['type']]: M['type'] extends SagaCommand['type']
    ? (payload: M['payload'], context: SagaContext<M['type']>) => Promise<SagaCommandResult<M['type']>>
    : (payload: M['payload'], context: CommandContext) => Promise<void>;
};

export interface ParticipantOptions<T extends CommandTopic> {
  /** class-validator classes for the payloads that need more than "a JSON object". */
  readonly payloads?: { readonly [C in CommandType<T>]?: new () => object };
  /** Errors besides DomainError that are this participant's considered answer, e.g. a broker's refusal. */
  readonly isRefusal?: (error: unknown) => error is Refusal;
  /** Commands whose only write is the append that carries their reply: answered without a savepoint. */
  readonly replyWithTheAppend?: readonly SagaCommandType<T>[];
  /** Commands that refuse, if at all, before their first write (issuing a data key): no savepoint either. */
  readonly refuseBeforeWriting?: readonly SagaCommandType<T>[];
  /** Commands that are not saga steps: their outcome is published as events, no reply is sent. */
  readonly answeredByEvents?: readonly Exclude<CommandType<T>, SagaCommand['type']>[];
}

type Member = (payload: unknown, context: CommandContext | SagaContext) => Promise<unknown>;

/**
 * The one shape of a saga participant: the consumer of a service's command topic validates the
 * payload, calls the member named after the command inside the inbox transaction, and answers on
 * saga.replies (a refusal as a failure with its code, anything else thrown to be retried).
 */
export abstract class SagaParticipant<T extends CommandTopic> {
  protected constructor(
    private readonly replies: EventStore,
    private readonly options: ParticipantOptions<T> = {},
  ) {}

  async handle(envelope: Envelope, tx: EntityManager): Promise<void> {
    const type = envelope.type as CommandType<T>;
    const member = (this as unknown as Record<string, Member>)[type].bind(this);
    const payload = () => validatedPayload(this.options.payloads?.[type], envelope.payload);
    if ((this.options.answeredByEvents as readonly string[] | undefined)?.includes(type)) {
      await member(payload(), { tx, envelope });
      return;
    }
    const withoutSavepoint = [
      ...(this.options.replyWithTheAppend ?? []),
      ...(this.options.refuseBeforeWriting ?? []),
    ].includes(type as SagaCommandType<T>);
    await answerSagaCommand(
      this.replies,
      envelope,
      tx,
      (reply) =>
        member(payload(), { tx, envelope, reply }) as Promise<SagaCommandResult<SagaCommand['type']>>,
      { isRefusal: this.options.isRefusal, refusesBeforeWriting: withoutSavepoint },
    );
  }
}
