import { DomainError } from '../decider/domain-error';

interface SpecDecider<Command, Event, State> {
  readonly initialState: State;
  evolve(state: State, event: Event): State;
  decide(command: Command, state: State): readonly Event[];
}

export interface Then<Event, State> {
  /** Asserts the decided events and returns the state after them, for follow-up checks. */
  then(...expected: Event[]): State;
  thenThrows(code: string, message?: RegExp): DomainError;
}

/**
 * given(history).when(command).then(events) over any decider, as every decider spec reads; all pure,
 * no mocks. `given(...).state` is the state a history leaves, for checks of the state itself.
 */
export function specFor<Command, Event, State>(decider: SpecDecider<Command, Event, State>) {
  return function given(...history: Event[]) {
    const state = history.reduce(decider.evolve, decider.initialState);
    return {
      state,
      when(command: Command): Then<Event, State> {
        return {
          then(...expected) {
            const events = decider.decide(command, state);
            expect(events).toEqual(expected);
            return events.reduce(decider.evolve, state);
          },
          thenThrows(code, message) {
            let caught: unknown;
            try {
              decider.decide(command, state);
            } catch (error) {
              caught = error;
            }
            expect(caught).toBeInstanceOf(DomainError);
            const error = caught as DomainError;
            expect(error.code).toBe(code);
            if (message) expect(error.message).toMatch(message);
            return error;
          },
        };
      },
    };
  };
}
