import { upcasterChain } from '../event-store/upcaster';
import type { Envelope } from './envelope';
import { headersToStrings, InvalidMessageError, parseEnvelope, toKafkaRecord } from './kafka-message';

const envelope: Envelope = {
  messageId: '0190a5a4-0000-7000-8000-000000000001',
  type: 'BrokerDisconnected',
  schemaVersion: 2,
  streamId: 'connection-1',
  streamVersion: 7,
  occurredAt: '2026-01-02T03:04:05.678Z',
  correlationId: 'corr-1',
  causationId: null,
  sagaId: 'saga-1',
  userId: 'user-1',
  payload: { accountIds: ['a', 'b'] },
};

describe('envelope on Kafka', () => {
  it('keys by stream id and mirrors ids as string headers, leaving out absent ones', () => {
    const record = toKafkaRecord(envelope);
    expect(record.key).toBe('connection-1');
    expect(record.headers).toEqual({
      messageId: envelope.messageId,
      type: 'BrokerDisconnected',
      schemaVersion: '2',
      streamId: 'connection-1',
      streamVersion: '7',
      correlationId: 'corr-1',
      sagaId: 'saga-1',
      userId: 'user-1',
    });
  });

  it('reads back exactly what was written', () => {
    expect(parseEnvelope(Buffer.from(toKafkaRecord(envelope).value))).toEqual(envelope);
  });

  it('tolerates unknown extra fields from newer producers', () => {
    const value = JSON.stringify({ ...envelope, addedLater: true });
    expect(parseEnvelope(value).type).toBe('BrokerDisconnected');
  });

  it('rejects a value that is not JSON', () => {
    expect(() => parseEnvelope(Buffer.from('{nope'))).toThrow(
      expect.objectContaining({ reason: 'not-json' }),
    );
    expect(() => parseEnvelope(null)).toThrow(InvalidMessageError);
  });

  it('names every missing or malformed envelope field', () => {
    const { messageId: _, ...withoutId } = envelope;
    const error = captureError(() => parseEnvelope(JSON.stringify({ ...withoutId, streamVersion: 'seven' })));
    expect(error).toMatchObject({ reason: 'invalid-envelope' });
    expect(error.message).toContain('messageId must be a non-empty string');
    expect(error.message).toContain('streamVersion must be a non-negative integer');
  });

  it('rejects a type the consumer does not know when it declares its types', () => {
    expect(() => parseEnvelope(JSON.stringify(envelope), new Set(['Other']))).toThrow(
      expect.objectContaining({ reason: 'unknown-type' }),
    );
  });

  it('hands an old version on as the newest, and an old payload no upcaster can read to the DLQ', () => {
    const upcast = upcasterChain([
      {
        type: 'BrokerDisconnected',
        fromSchemaVersion: 2,
        upcast: (payload) => {
          const { accountIds } = payload as { accountIds: string[] };
          return { accountIds, accountCount: accountIds.length };
        },
      },
    ]);
    expect(parseEnvelope(JSON.stringify(envelope), undefined, upcast)).toMatchObject({
      schemaVersion: 3,
      payload: { accountIds: ['a', 'b'], accountCount: 2 },
    });
    expect(() => parseEnvelope(JSON.stringify({ ...envelope, payload: {} }), undefined, upcast)).toThrow(
      expect.objectContaining({ reason: 'not-upcastable' }),
    );
  });

  it('turns Kafka header buffers into strings', () => {
    expect(
      headersToStrings({ a: Buffer.from('1'), b: [Buffer.from('2'), Buffer.from('3')], c: undefined }),
    ).toEqual({ a: '1', b: '2' });
  });
});

function captureError(work: () => unknown): InvalidMessageError {
  try {
    work();
  } catch (error) {
    return error as InvalidMessageError;
  }
  throw new Error('expected an error');
}
