import { ErrorCode } from '../../protocol/error-codes';
import type { FetchRequest, PartitionFetch } from './fetch-request';
import { type FetchContext, FetchSessions, type PartitionState, sessionPartitions } from './fetch-sessions';

const fetchOf = (partition: number, fetchOffset = 0): PartitionFetch => ({
  topic: 't',
  partition,
  currentLeaderEpoch: -1,
  fetchOffset,
  maxBytes: 1024,
});

const request = (overrides: Partial<FetchRequest>): FetchRequest => ({
  maxWaitMs: 0,
  minBytes: 1,
  maxBytes: 1024,
  sessionId: 0,
  sessionEpoch: 0,
  partitions: [],
  forgotten: [],
  ...overrides,
});

const stateOf = (partition: number, highWatermark: number, size = 0): PartitionState => ({
  topic: 't',
  partition,
  errorCode: ErrorCode.NONE,
  highWatermark,
  logStartOffset: 0,
  size,
});

function sessionOf(context: FetchContext): { id: number } {
  if (context.kind !== 'full' && context.kind !== 'incremental')
    throw new Error(`no session: ${context.kind}`);
  return context.session;
}

describe('fetch sessions (KIP-227)', () => {
  it('opens a session on epoch 0 and answers the full set of partitions', () => {
    const sessions = new FetchSessions();

    const context = sessions.open(request({ partitions: [fetchOf(0), fetchOf(1)] }));
    const reported = sessions.report(context, [stateOf(0, 5), stateOf(1, 0)]);

    expect(context.kind).toBe('full');
    expect(sessionOf(context).id).toBeGreaterThan(0);
    expect(reported.map((p) => p.partition)).toEqual([0, 1]);
  });

  it('leaves unchanged partitions out of an incremental answer and keeps ones named before', () => {
    const sessions = new FetchSessions();
    const full = sessions.open(request({ partitions: [fetchOf(0), fetchOf(1)] }));
    sessions.report(full, [stateOf(0, 5), stateOf(1, 0)]);

    const next = sessions.open(
      request({ sessionId: sessionOf(full).id, sessionEpoch: 1, partitions: [fetchOf(0, 5)] }),
    );
    const reported = sessions.report(next, [stateOf(0, 5), stateOf(1, 3)]);

    expect(next.kind).toBe('incremental');
    expect(sessionPartitions(next).map((p) => [p.partition, p.fetchOffset])).toEqual([
      [0, 5],
      [1, 0],
    ]);
    expect(reported.map((p) => p.partition)).toEqual([1]);
  });

  it('drops forgotten partitions from the session', () => {
    const sessions = new FetchSessions();
    const full = sessions.open(request({ partitions: [fetchOf(0), fetchOf(1)] }));

    const next = sessions.open(
      request({ sessionId: sessionOf(full).id, sessionEpoch: 1, forgotten: [{ topic: 't', partition: 0 }] }),
    );

    expect(sessionPartitions(next).map((p) => p.partition)).toEqual([1]);
  });

  it('refuses an unknown session and an epoch out of step', () => {
    const sessions = new FetchSessions();
    const full = sessions.open(request({ partitions: [fetchOf(0)] }));

    expect(sessions.open(request({ sessionId: 999, sessionEpoch: 1 }))).toEqual({
      kind: 'error',
      errorCode: ErrorCode.FETCH_SESSION_ID_NOT_FOUND,
    });
    expect(sessions.open(request({ sessionId: sessionOf(full).id, sessionEpoch: 2 }))).toEqual({
      kind: 'error',
      errorCode: ErrorCode.INVALID_FETCH_SESSION_EPOCH,
    });
  });

  it('closes a session on epoch -1 and serves that request without one', () => {
    const sessions = new FetchSessions();
    const full = sessions.open(request({ partitions: [fetchOf(0)] }));

    const closing = sessions.open(
      request({ sessionId: sessionOf(full).id, sessionEpoch: -1, partitions: [fetchOf(0)] }),
    );

    expect(closing.kind).toBe('sessionless');
    expect(sessions.size).toBe(0);
  });

  it('makes room for a new session by evicting the least recently used one', () => {
    const sessions = new FetchSessions(2);
    const first = sessions.open(request({ partitions: [fetchOf(0)] }));
    const second = sessions.open(request({ partitions: [fetchOf(0)] }));
    sessions.open(request({ sessionId: sessionOf(first).id, sessionEpoch: 1 }));

    sessions.open(request({ partitions: [fetchOf(0)] }));

    expect(sessions.open(request({ sessionId: sessionOf(second).id, sessionEpoch: 1 })).kind).toBe('error');
    expect(sessions.open(request({ sessionId: sessionOf(first).id, sessionEpoch: 2 })).kind).toBe(
      'incremental',
    );
  });
});
