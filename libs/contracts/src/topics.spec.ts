import { commandKeyFieldsOf, type Message } from './message';
import {
  commandKeyOf,
  dlqTopicOf,
  isValidTopicName,
  topicNames,
  topicOfMessageType,
  topics,
  topicsOfService,
} from './topics';

describe('contract catalog', () => {
  it('gives every message a type name no other message uses', () => {
    const names = topicNames.flatMap((topic) => topics[topic].messageTypes);
    const duplicates = names.filter((name, index) => names.indexOf(name) !== index);
    expect(duplicates).toEqual([]);
  });

  it('names every topic and its dead-letter topic by the <context>.<kind>[.dlq] rule', () => {
    const broken = topicNames
      .flatMap((topic) => [topic, dlqTopicOf(topic)])
      .filter((name) => !isValidTopicName(name));
    expect(broken).toEqual([]);
  });

  it('rejects names that break the rule', () => {
    expect(
      ['UserAccount.events', 'user-account', 'user_account.events', 'user-account.events.dlq.dlq'].filter(
        isValidTopicName,
      ),
    ).toEqual([]);
  });

  it('finds the topic a saga command is sent to', () => {
    expect(topicOfMessageType('PurgeVirtualAccounts')).toBe('virtual-broker.commands');
    expect(topicOfMessageType('DeleteUser')).toBe('user-account.commands');
  });

  it('keys each command by the field its contract declares', () => {
    const restore = { type: 'RestoreAutomations', schemaVersion: 1 } as const;
    expect(commandKeyOf({ ...restore, payload: { automationIds: [], deletionKey: 'u-1' } })).toBe('u-1');
    expect(
      commandKeyOf({
        type: 'CloseUserConnections',
        schemaVersion: 1,
        payload: { userId: 'u-2', parentSagaId: 's' },
      }),
    ).toBe('u-2');
    type Unkeyed = Message<'Unkeyed', { ids: readonly string[]; note?: string }>;
    // @ts-expect-error a command needs a field that always holds a string to be keyed by
    expect(commandKeyFieldsOf<Unkeyed>({ Unkeyed: 'ids' })).toBeDefined();
  });

  it('declares the topics a service owns and the ones it only uses', () => {
    expect(topicsOfService('broker-account', ['broker-connection.events', 'saga.replies'])).toEqual([
      { name: 'broker-account.events', partitions: 3, owned: true, retentionMs: -1 },
      { name: 'broker-account.commands', partitions: 3, owned: true },
      { name: 'broker-connection.events', partitions: 3, owned: false },
      { name: 'saga.replies', partitions: 3, owned: false },
    ]);
  });
});
