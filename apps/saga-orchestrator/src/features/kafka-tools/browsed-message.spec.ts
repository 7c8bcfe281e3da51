import { browsedMessage, matchesFilter } from './browsed-message';

const envelope = {
  messageId: 'm-1',
  type: 'BrokerAccountsLinked',
  schemaVersion: 1,
  streamId: 's-1',
  streamVersion: 2,
  occurredAt: '2026-12-07T06:00:00.000Z',
  correlationId: 'c-1',
  causationId: null,
  payload: { connectionId: 'conn-1', note: 'Hello World' },
};
const value = JSON.stringify(envelope);
const record = (text: string | null) => ({
  offset: '42',
  timestamp: String(Date.parse('2026-12-07T06:00:01Z')),
  key: Buffer.from('conn-1'),
  value: text === null ? null : Buffer.from(text),
  headers: { 'x-correlation-id': Buffer.from('c-1') },
});

describe('the topic browser', () => {
  it('decodes an envelope with its place, key, headers and time', () => {
    expect(browsedMessage(2, record(value))).toEqual({
      partition: 2,
      offset: '42',
      timestamp: '2026-12-07T06:00:01.000Z',
      key: 'conn-1',
      headers: { 'x-correlation-id': 'c-1' },
      envelope,
    });
  });

  it('shows what is not an envelope as text, with why', () => {
    const shown = browsedMessage(0, record('not json'));
    expect(shown).toMatchObject({ envelope: null, raw: 'not json', problem: expect.stringContaining('') });
    expect(browsedMessage(0, record('x'.repeat(5000))).raw).toHaveLength(4097);
  });

  it('filters by key, message id, correlation id, type and text, all of them at once', () => {
    const shown = browsedMessage(0, record(value));
    expect(matchesFilter(shown, value, {})).toBe(true);
    expect(
      matchesFilter(shown, value, { key: 'conn-1', type: 'BrokerAccountsLinked', text: 'hello world' }),
    ).toBe(true);
    expect(matchesFilter(shown, value, { messageId: 'm-1', correlationId: 'c-1' })).toBe(true);
    expect(matchesFilter(shown, value, { key: 'conn-2' })).toBe(false);
    expect(matchesFilter(shown, value, { type: 'Other' })).toBe(false);
    expect(matchesFilter(shown, value, { correlationId: 'c-1', text: 'absent' })).toBe(false);
  });
});
