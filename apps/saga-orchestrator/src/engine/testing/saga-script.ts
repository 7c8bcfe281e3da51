import type { Reason, SagaCommand, SagaCommandResult } from '@tradecore/contracts';
import type { SagaDefinition, SagaStatus } from '../saga-definition';
import { applyInput, startSaga } from '../saga-machine';
import {
  type PlannedCommand,
  type SagaInput,
  type SagaState,
  type SagaTransition,
  withSentIds,
} from '../saga-state';

type SagaResult = SagaCommandResult<SagaCommand['type']>;

/**
 * Reads a saga definition as a script: given this trigger, expect this command; given this
 * reply, expect that one. Runs the pure machine with message ids made up in order.
 */
export class SagaScript {
  private state: SagaState;
  private sent: PlannedCommand[] = [];
  private lastIgnored?: string;
  private deadline: SagaTransition['deadline'] = null;
  private nextId = 1;

  private constructor(
    private readonly definition: SagaDefinition,
    trigger: unknown,
    readonly sagaId: string,
  ) {
    const { context } = definition.start(trigger, sagaId);
    this.state = this.record(startSaga(definition, context));
  }

  static given(definition: SagaDefinition, trigger: unknown, sagaId = 'saga-1'): SagaScript {
    return new SagaScript(definition, trigger, sagaId);
  }

  get current(): SagaState {
    return this.state;
  }

  get ignored(): string | undefined {
    return this.lastIgnored;
  }

  /** The commands the last input sent, in order, by type. */
  expectCommands(...types: SagaCommand['type'][]): this {
    expect(this.sent.map((planned) => planned.command.type)).toEqual(types);
    return this;
  }

  expectCommand(type: SagaCommand['type'], payload?: Record<string, unknown>): this {
    expect(this.sent.map((planned) => planned.command.type)).toEqual([type]);
    if (payload) expect(this.sent[0].command.payload).toEqual(payload);
    return this;
  }

  expectNoCommand(): this {
    expect(this.sent).toEqual([]);
    return this;
  }

  expectStatus(status: SagaStatus): this {
    expect(this.state.status).toBe(status);
    return this;
  }

  whenSucceeded(result: SagaResult = {}, which = 0): this {
    return this.reply(which, { outcome: 'succeeded', result });
  }

  whenFailed(code: string, message = code, which = 0): this {
    const reason: Reason = { code, message };
    return this.reply(which, { outcome: 'failed', reason });
  }

  /** A refusal the participant marks as worth retrying, e.g. a broker that timed out. */
  whenFailedTransiently(code: string, message = code, which = 0): this {
    return this.reply(which, { outcome: 'failed', reason: { code, message, transient: true } });
  }

  /** The deadline the saga waits on now (a step's replies, or `<step>.children`) passes. */
  whenTimedOut(): this {
    const deadline = this.deadline;
    if (!deadline) throw new Error('nothing is waiting for a deadline');
    return this.apply({ type: 'DeadlinePassed', step: deadline.step, attempt: deadline.attempt });
  }

  /** The saga as a whole ran out of time. */
  whenSagaDeadlinePassed(afterMs = 60_000): this {
    return this.apply({ type: 'SagaDeadlinePassed', afterMs });
  }

  /** The wait the saga is timing now, by name and duration; null when it times nothing. */
  expectDeadline(step: string | null, dueInMs?: number): this {
    expect(this.deadline?.step ?? null).toBe(step);
    if (dueInMs !== undefined) expect(this.deadline?.dueInMs).toBe(dueInMs);
    return this;
  }

  whenChildFinished(childKey: string, status: SagaStatus): this {
    return this.apply({ type: 'ChildFinished', childKey, status });
  }

  /** Replays a reply the saga has already taken, as Kafka may redeliver it. */
  whenRepliedAgain(commandMessageId: string, step: string): this {
    return this.apply({ type: 'ReplyReceived', step, commandMessageId, outcome: 'succeeded', result: {} });
  }

  when(input: SagaInput): this {
    return this.apply(input);
  }

  /** Commands still awaiting a reply, with the step name and id a participant would echo back. */
  waiting(): { step: string; commandMessageId: string; command: SagaCommand }[] {
    const cursor = this.state.cursor;
    if (!cursor) return [];
    const name = this.definition.steps[cursor.step].name;
    const step = cursor.phase === 'forward' ? name : `${name}.compensate`;
    return this.state.pending
      .filter((pending) => pending.outcome === 'waiting')
      .map((pending) => ({
        step,
        commandMessageId: pending.commandMessageId as string,
        command: pending.command,
      }));
  }

  private reply(
    which: number,
    answer: { outcome: 'succeeded'; result: SagaResult } | { outcome: 'failed'; reason: Reason },
  ): this {
    const target = this.waiting()[which];
    if (!target) throw new Error(`no command #${which} is waiting for a reply`);
    return this.apply({
      type: 'ReplyReceived',
      step: target.step,
      commandMessageId: target.commandMessageId,
      ...answer,
    });
  }

  private apply(input: SagaInput): this {
    this.state = this.record(applyInput(this.definition, this.state, input));
    return this;
  }

  private record(transition: SagaTransition): SagaState {
    this.sent = [...transition.commands];
    this.lastIgnored = transition.ignored;
    // An ignored input changes nothing, so the deadline the engine keeps is the one before it.
    if (!transition.ignored) this.deadline = transition.deadline;
    const ids = transition.commands.map(() => `cmd-${this.nextId++}`);
    return withSentIds(transition.state, ids);
  }
}
