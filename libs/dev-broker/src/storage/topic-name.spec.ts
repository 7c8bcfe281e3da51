import { topicNameProblem } from './topic-name';

describe('topic names', () => {
  it.each(['orders', 'orders.v1', 'order_events-2', 'A'.repeat(249)])('accepts %s', (name) => {
    expect(topicNameProblem(name)).toBeUndefined();
  });

  it.each(['', '.', '..', 'with space', 'slash/ed', 'ü', 'A'.repeat(250)])('refuses "%s"', (name) => {
    expect(topicNameProblem(name)).toBeDefined();
  });
});
