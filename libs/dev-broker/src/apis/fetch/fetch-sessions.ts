import { ErrorCode } from '../../protocol/error-codes';
import {
  FINAL_EPOCH,
  type FetchRequest,
  INITIAL_EPOCH,
  NO_SESSION,
  type PartitionFetch,
} from './fetch-request';

/** What the client last heard about a partition, so an incremental answer can leave it out if unchanged. */
interface SessionPartition extends PartitionFetch {
  highWatermark?: number;
  logStartOffset?: number;
}

export interface FetchSession {
  readonly id: number;
  /** The epoch the next incremental request must carry. */
  nextEpoch: number;
  readonly partitions: Map<string, SessionPartition>;
}

/** How one Fetch is served: which partitions, and whether unchanged ones may be left out. */
export type FetchContext =
  | { readonly kind: 'error'; readonly errorCode: ErrorCode }
  | { readonly kind: 'sessionless'; readonly partitions: readonly PartitionFetch[] }
  | { readonly kind: 'full' | 'incremental'; readonly session: FetchSession };

export interface PartitionState {
  readonly topic: string;
  readonly partition: number;
  readonly errorCode: ErrorCode;
  readonly highWatermark: number;
  readonly logStartOffset: number;
  readonly size: number;
}

/** Kafka's max.incremental.fetch.session.cache.slots. */
const DEFAULT_SLOTS = 1000;

function keyOf(topic: string, partition: number): string {
  return `${topic}\u0000${partition}`;
}

/**
 * KIP-227 incremental fetch sessions. The broker remembers a consumer's partitions and fetch
 * offsets, so later requests name only what changed and answers carry only partitions with news.
 * When every slot is taken the least recently used session goes, as its client can start over.
 */
export class FetchSessions {
  private readonly sessions = new Map<number, FetchSession>();
  private lastId = 0;

  constructor(private readonly slots = DEFAULT_SLOTS) {}

  open(request: FetchRequest): FetchContext {
    const { sessionId, sessionEpoch } = request;
    if (sessionEpoch === FINAL_EPOCH || sessionEpoch === INITIAL_EPOCH) {
      if (sessionId !== NO_SESSION) this.sessions.delete(sessionId);
      if (sessionEpoch === FINAL_EPOCH || this.slots === 0) {
        return { kind: 'sessionless', partitions: request.partitions };
      }
      const session = this.create();
      this.update(session, request);
      return { kind: 'full', session };
    }
    const session = this.sessions.get(sessionId);
    if (!session) return { kind: 'error', errorCode: ErrorCode.FETCH_SESSION_ID_NOT_FOUND };
    if (session.nextEpoch !== sessionEpoch)
      return { kind: 'error', errorCode: ErrorCode.INVALID_FETCH_SESSION_EPOCH };
    session.nextEpoch = session.nextEpoch >= 0x7fffffff ? 1 : session.nextEpoch + 1;
    this.touch(session);
    this.update(session, request);
    return { kind: 'incremental', session };
  }

  /**
   * The partitions an answer carries: all of them in a full answer, and in an incremental one
   * those with records, an error, or a new high watermark or log start. Remembers what was sent.
   */
  report<T extends PartitionState>(context: FetchContext, states: readonly T[]): T[] {
    if (context.kind === 'error' || context.kind === 'sessionless') return [...states];
    return states.filter((state) => {
      const known = context.session.partitions.get(keyOf(state.topic, state.partition));
      if (!known) return false;
      const changed =
        context.kind === 'full' ||
        state.size > 0 ||
        state.errorCode !== ErrorCode.NONE ||
        known.highWatermark !== state.highWatermark ||
        known.logStartOffset !== state.logStartOffset;
      known.highWatermark = state.highWatermark;
      known.logStartOffset = state.logStartOffset;
      return changed;
    });
  }

  get size(): number {
    return this.sessions.size;
  }

  private create(): FetchSession {
    if (this.sessions.size >= this.slots) {
      const oldest = this.sessions.keys().next().value as number;
      this.sessions.delete(oldest);
    }
    this.lastId = this.lastId >= 0x7fffffff ? 1 : this.lastId + 1;
    const session: FetchSession = { id: this.lastId, nextEpoch: 1, partitions: new Map() };
    this.sessions.set(session.id, session);
    return session;
  }

  private touch(session: FetchSession): void {
    this.sessions.delete(session.id);
    this.sessions.set(session.id, session);
  }

  private update(session: FetchSession, request: FetchRequest): void {
    for (const forgotten of request.forgotten)
      session.partitions.delete(keyOf(forgotten.topic, forgotten.partition));
    for (const partition of request.partitions) {
      const key = keyOf(partition.topic, partition.partition);
      const known = session.partitions.get(key);
      session.partitions.set(key, { ...known, ...partition });
    }
  }
}

export function sessionPartitions(context: FetchContext): readonly PartitionFetch[] {
  switch (context.kind) {
    case 'error':
      return [];
    case 'sessionless':
      return context.partitions;
    case 'full':
    case 'incremental':
      return [...context.session.partitions.values()];
    default:
      return assertNever(context);
  }
}

function assertNever(value: never): never {
  throw new Error(`unexpected fetch context ${JSON.stringify(value)}`);
}
