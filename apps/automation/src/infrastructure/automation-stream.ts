import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import {
  CommandResult,
  EventStore,
  handleCommand,
  loadStream,
  VersionConflictError,
} from '@tradecore/eventing';
import {
  AutomationCommand,
  AutomationEvent,
  automationDecider,
  AutomationState,
} from '../domain/automation.decider';
import { ReceiveSignal, signalDecider, SignalEvent, SignalState } from '../domain/signal.decider';
import { automationProjection } from '../projections/automation.projection';
import { integrationMessages } from './integration-events';

/** Webhooks, order outcomes and their owner write the same stream; a lost race is decided again. */
const ATTEMPTS_ON_CONFLICT = 8;

export type AutomationResult = CommandResult<AutomationEvent, AutomationState>;

/**
 * The command path of an automation: load, decide, append with its outbox messages and inline
 * projection. Kept in this one file so it can move to a shared command path unchanged.
 */
@Injectable()
export class AutomationStream {
  private readonly projectors;

  constructor(@Inject(EventStore) private readonly store: EventStore) {
    this.projectors = [automationProjection(store.schema)];
  }

  /** Inside a consumer's transaction a conflict rolls back to a savepoint, so the retry does not lose the inbox row. */
  async execute(
    automationId: string,
    command: AutomationCommand,
    manager?: EntityManager,
  ): Promise<AutomationResult> {
    for (let attempt = 1; ; attempt += 1) {
      if (manager) await manager.query('SAVEPOINT automation_command');
      try {
        const result = await handleCommand({
          store: this.store,
          decider: automationDecider,
          streamId: automationId,
          streamType: 'Automation',
          command,
          inlineProjectors: this.projectors,
          outgoing: integrationMessages,
          manager,
        });
        if (manager) await manager.query('RELEASE SAVEPOINT automation_command');
        return result;
      } catch (error) {
        if (manager) await manager.query('ROLLBACK TO SAVEPOINT automation_command');
        if (!(error instanceof VersionConflictError) || attempt >= ATTEMPTS_ON_CONFLICT) throw error;
      }
    }
  }

  async load(automationId: string, manager?: EntityManager): Promise<AutomationState> {
    return (await loadStream(this.store, automationDecider, automationId, 1, manager)).state;
  }

  /** A second receipt of the same signal id is refused (SIGNAL_ALREADY_RECEIVED), also when both race. */
  async receive(command: ReceiveSignal): Promise<CommandResult<SignalEvent, SignalState>> {
    return handleCommand({
      store: this.store,
      decider: signalDecider,
      streamId: command.signalId,
      streamType: 'Signal',
      command,
      inlineProjectors: this.projectors,
      outgoing: integrationMessages,
      snapshotEvery: 0,
    });
  }
}
