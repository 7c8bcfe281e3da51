import { withConfiguredPartitions } from './topic-registry';

const declared = [
  { name: 'virtual-broker.events', partitions: 3, owned: true },
  { name: 'virtual-broker.commands', partitions: 3, owned: false },
];

describe('TOPIC_PARTITIONS over the declared partitions', () => {
  it('given nothing configured, keeps the declared counts', () => {
    expect(withConfiguredPartitions(declared, undefined)).toEqual(declared);
    expect(withConfiguredPartitions(declared, '')).toEqual(declared);
  });

  it('given a bare number, sets every topic to it', () => {
    expect(withConfiguredPartitions(declared, '12').map((topic) => topic.partitions)).toEqual([12, 12]);
  });

  it('given a count for one topic, that topic gets it and the rest the default', () => {
    const configured = withConfiguredPartitions(declared, '6, virtual-broker.events=24');
    expect(configured.map((topic) => [topic.name, topic.partitions])).toEqual([
      ['virtual-broker.events', 24],
      ['virtual-broker.commands', 6],
    ]);
  });

  it('given only a per-topic count, the others keep their declaration', () => {
    const configured = withConfiguredPartitions(declared, 'virtual-broker.commands=8');
    expect(configured.map((topic) => topic.partitions)).toEqual([3, 8]);
  });
});
