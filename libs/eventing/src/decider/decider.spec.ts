import { crossesSnapshotInterval, type Decider, foldEvents } from './decider';
import { DomainError } from './domain-error';

type CounterEvent = { readonly type: 'Incremented'; readonly by: number } | { readonly type: 'Reset' };
type CounterCommand = { readonly type: 'Increment'; readonly by: number } | { readonly type: 'Reset' };

const counter: Decider<CounterCommand, CounterEvent, { total: number }> = {
  initialState: { total: 0 },
  evolve: (state, event) => (event.type === 'Incremented' ? { total: state.total + event.by } : { total: 0 }),
  decide: (command) => {
    if (command.type === 'Reset') return [{ type: 'Reset' }];
    if (command.by <= 0) throw new DomainError('COUNTER_NON_POSITIVE', 'increment by a positive number');
    return [{ type: 'Incremented', by: command.by }];
  },
};

describe('foldEvents', () => {
  it('given events, evolves from the given state in order', () => {
    const events: CounterEvent[] = [
      { type: 'Incremented', by: 2 },
      { type: 'Reset' },
      { type: 'Incremented', by: 5 },
    ];
    expect(foldEvents(counter, counter.initialState, events)).toEqual({ total: 5 });
  });

  it('a decider rejection carries a stable code', () => {
    expect(() => counter.decide({ type: 'Increment', by: 0 }, { total: 0 })).toThrow(
      expect.objectContaining({ code: 'COUNTER_NON_POSITIVE', name: 'DomainError' }),
    );
  });
});

describe('crossesSnapshotInterval', () => {
  it('is true when an append reaches or passes a multiple of the interval', () => {
    expect(crossesSnapshotInterval(9, 10, 10)).toBe(true);
    expect(crossesSnapshotInterval(8, 12, 10)).toBe(true);
    expect(crossesSnapshotInterval(10, 11, 10)).toBe(false);
    expect(crossesSnapshotInterval(3, 9, 10)).toBe(false);
  });

  it('never asks for a snapshot when snapshots are off', () => {
    expect(crossesSnapshotInterval(0, 100, 0)).toBe(false);
  });
});
