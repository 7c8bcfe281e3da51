import type { EntityManager } from 'typeorm';
import { contractSchemaVersions } from '@tradecore/contracts';
import { flatEvent, type Envelope } from '../envelope/envelope';
import type { EventStore } from '../event-store/event-store';
import type { AppendOptions } from '../event-store/event-store.types';
import { VersionConflictError } from '../event-store/version-conflict.error';
import { traceHop } from '../observability/tracing';
import { crossesSnapshotInterval, type Decider, foldEvents } from './decider';

export interface HandleCommandOptions<Command, Event extends { readonly type: string }, State> extends Omit<
  AppendOptions,
  'inlineProjectors'
> {
  readonly store: EventStore;
  readonly decider: Decider<Command, Event, State>;
  readonly streamId: string;
  readonly streamType: string;
  readonly command: Command;
  /**
   * The version the caller last saw (e.g. from an HTTP If-Match): the command is decided
   * only if the stream is still there, otherwise VersionConflictError. Absent: the loaded version.
   */
  readonly expectedVersion?: number;
  /** The stream is known to be empty (its id was minted by the command): decided on the initial state unread. */
  readonly knownEmpty?: boolean;
  /** The stream as the caller read it in this transaction: decided on unread again. */
  readonly loaded?: LoadedStream<State>;
  readonly inlineProjectors?: AppendOptions['inlineProjectors'];
  /** Overrides the store's interval; 0 turns snapshots off for this stream type. */
  readonly snapshotEvery?: number;
  /** Bump when the shape of State changes, so stale snapshots are ignored and the stream is replayed. */
  readonly stateSchemaVersion?: number;
  /** The schema version each event type is written with; else its contract's current one, else 1. */
  readonly eventSchemaVersions?: Readonly<Record<string, number>>;
}

export interface CommandResult<Event, State> {
  readonly streamId: string;
  readonly version: number;
  readonly events: readonly Event[];
  readonly state: State;
  readonly envelopes: readonly Envelope[];
}

export interface LoadedStream<State> {
  readonly state: State;
  readonly version: number;
}

/** Latest snapshot (when its shape is current) plus the events after it, read in one statement. */
export async function loadStream<Event extends { readonly type: string }, State>(
  store: EventStore,
  decider: Pick<Decider<unknown, Event, State>, 'evolve' | 'initialState'>,
  streamId: string,
  stateSchemaVersion = 1,
  manager?: EntityManager,
): Promise<LoadedStream<State>> {
  const { snapshot, events } = await store.readFromSnapshot<State>(streamId, stateSchemaVersion, manager);
  return {
    state: foldEvents(
      decider,
      snapshot ? snapshot.state : decider.initialState,
      events.map((event) => flatEvent<Event>(event)),
    ),
    version: events.at(-1)?.streamVersion ?? snapshot?.version ?? 0,
  };
}

/**
 * The one command path: load, decide, append at the loaded version. A concurrent writer
 * surfaces as VersionConflictError (409); a broken rule as the decider's DomainError.
 */
export function handleCommand<Command, Event extends { readonly type: string }, State>(
  options: HandleCommandOptions<Command, Event, State>,
): Promise<CommandResult<Event, State>> {
  const commandType = (options.command as { type?: unknown }).type;
  const name = `command ${typeof commandType === 'string' ? commandType : options.streamType}`;
  return traceHop({ name, attributes: { 'tradecore.stream_id': options.streamId } }, () =>
    decideAndAppend(options),
  );
}

async function decideAndAppend<Command, Event extends { readonly type: string }, State>(
  options: HandleCommandOptions<Command, Event, State>,
): Promise<CommandResult<Event, State>> {
  const { store, decider, streamId, streamType, command, stateSchemaVersion = 1 } = options;
  // Inside the caller's transaction when it has one: loading on a second pooled connection while
  // holding the first deadlocks the pool once as many commands as connections are in flight.
  const loaded = options.knownEmpty
    ? { state: decider.initialState, version: 0 }
    : (options.loaded ?? (await loadStream(store, decider, streamId, stateSchemaVersion, options.manager)));
  if (options.expectedVersion !== undefined && options.expectedVersion !== loaded.version) {
    store.instrumentation.versionConflict(streamType);
    throw new VersionConflictError(streamId, options.expectedVersion, loaded.version);
  }
  const events = decider.decide(command, loaded.state);
  const state = foldEvents(decider, loaded.state, events);
  const appended = await store.append(
    streamId,
    streamType,
    loaded.version,
    events.map((event) => toNewEvent(event, options.eventSchemaVersions)),
    {
      topic: options.topic,
      outgoing: options.outgoing,
      inlineProjectors: options.inlineProjectors,
      batchableProjectors: options.batchableProjectors,
      metadata: options.metadata,
      manager: options.manager,
    },
  );
  if (
    crossesSnapshotInterval(loaded.version, appended.version, options.snapshotEvery ?? store.snapshotEvery)
  ) {
    await store.saveSnapshot(
      { streamId, version: appended.version, state, schemaVersion: stateSchemaVersion },
      options.manager,
    );
  }
  return { streamId, version: appended.version, events, state, envelopes: appended.envelopes };
}

function toNewEvent(
  event: { readonly type: string },
  versions: Readonly<Record<string, number>> | undefined,
) {
  const { type, ...payload } = event;
  return { type, schemaVersion: versions?.[type] ?? contractSchemaVersions[type] ?? 1, payload };
}
