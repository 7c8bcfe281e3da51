/** An event-sourced aggregate as three pure functions (emmett's decider); events are `{ type, ... }` unions. */
export interface Decider<Command, Event extends { readonly type: string }, State> {
  readonly initialState: State;
  evolve(state: State, event: Event): State;
  decide(command: Command, state: State): readonly Event[];
}

export function foldEvents<Event extends { readonly type: string }, State>(
  decider: Pick<Decider<unknown, Event, State>, 'evolve'>,
  state: State,
  events: readonly Event[],
): State {
  return events.reduce((current, event) => decider.evolve(current, event), state);
}

/** Snapshot when the append crossed a multiple of the interval, so a stream is snapshotted every N events. */
export function crossesSnapshotInterval(fromVersion: number, toVersion: number, every: number): boolean {
  return every > 0 && Math.floor(toVersion / every) > Math.floor(fromVersion / every);
}
