const TOKEN_KEY = 'tradecore.ops.token';

export interface Session {
  readonly token: string;
  readonly email?: string;
  readonly role?: string;
  readonly expiresAt?: number;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string | undefined,
    message: string,
  ) {
    super(message);
  }
}

function claimsOf(token: string): { role?: string; email?: string; exp?: number } {
  try {
    const payload = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    return JSON.parse(atob(payload.padEnd(Math.ceil(payload.length / 4) * 4, '=')));
  } catch {
    return {};
  }
}

/** The token lives in sessionStorage: gone when the tab closes, never in a cookie or localStorage. */
export function currentSession(): Session | null {
  const token = sessionStorage.getItem(TOKEN_KEY);
  if (!token) return null;
  const claims = claimsOf(token);
  const expiresAt = claims.exp ? claims.exp * 1000 : undefined;
  if (expiresAt && expiresAt < Date.now()) {
    sessionStorage.removeItem(TOKEN_KEY);
    return null;
  }
  return { token, email: claims.email, role: claims.role, expiresAt };
}

export function logOut(): void {
  sessionStorage.removeItem(TOKEN_KEY);
}

export async function logIn(email: string, password: string): Promise<Session> {
  const response = await fetch('/api/auth/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  const body = await response.json().catch(() => ({}));
  if (!response.ok)
    throw new ApiError(response.status, body.code, body.message ?? `login failed (${response.status})`);
  sessionStorage.setItem(TOKEN_KEY, body.accessToken);
  return currentSession() as Session;
}

export const onUnauthorized = new EventTarget();

export async function api<T>(path: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
  const session = currentSession();
  let response: Response;
  try {
    response = await fetch(path, {
      method: init.method ?? 'GET',
      headers: {
        ...(session && { authorization: `Bearer ${session.token}` }),
        ...(init.body !== undefined && { 'content-type': 'application/json' }),
      },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
  } catch {
    throw new ApiError(0, 'NETWORK', 'Cannot reach the server; check that the suite is running.');
  }
  const body = await response.json().catch(() => ({}));
  if (response.status === 401) {
    logOut();
    onUnauthorized.dispatchEvent(new Event('unauthorized'));
  }
  if (!response.ok) {
    const message = Array.isArray(body.message) ? body.message.join('; ') : body.message;
    throw new ApiError(response.status, body.code, message ?? `${response.status} ${response.statusText}`);
  }
  return body as T;
}

export type StreamState = 'connecting' | 'live' | 'reconnecting';

/** Live saga changes over server-sent events; the token goes as a query parameter (redacted in logs). */
export function sagaStream(
  onSagas: (sagas: SagaSummary[]) => void,
  onState: (state: StreamState) => void,
): () => void {
  const session = currentSession();
  if (!session) return () => undefined;
  const source = new EventSource(`/ops/stream?token=${encodeURIComponent(session.token)}`);
  onState('connecting');
  source.addEventListener('ready', () => onState('live'));
  source.addEventListener('heartbeat', () => onState('live'));
  source.addEventListener('sagas', (event) => {
    onState('live');
    onSagas((JSON.parse((event as MessageEvent).data) as { sagas: SagaSummary[] }).sagas);
  });
  source.onerror = () => onState('reconnecting');
  return () => source.close();
}

export interface SagaSummary {
  id: string;
  type: string;
  aggregateId: string;
  status: string;
  currentStep: string | null;
  failure: { code?: string; message?: string; step?: string } | null;
  parentSagaId: string | null;
  correlationId: string;
  userId: string | null;
  retries: number;
  createdAt: string;
  updatedAt: string;
  finishedAt: string | null;
}

export interface TimelineEntry {
  at: string;
  step: string;
  phase: string;
  attempt: number;
  event: string;
  commandType: string | null;
  commandMessageId: string | null;
  detail: unknown;
  durationMs?: number;
}

export type DeadlineOutcome = 'compensate' | 'fail';

/** Every deadline of the saga's type and what passing it leads to (apps/saga-orchestrator/src/features/sagas/saga-deadlines.query.ts). */
export interface DeadlinePolicy {
  saga: { afterMs: number; then: DeadlineOutcome };
  steps: {
    step: string;
    sends: boolean;
    timeoutMs: number;
    attempts: number;
    backoffFactor: number;
    onTimeout: DeadlineOutcome | null;
    compensated: boolean;
    children?: { timeoutMs: number; attempts: number; then: DeadlineOutcome };
  }[];
}

export interface SagaDetail extends SagaSummary {
  context: unknown;
  /** When the saga as a whole runs out of time, while it runs. */
  expiresAt: string | null;
  /** FAILED by a deadline declared to fail, not by a compensation: Compensate still applies. */
  stoppedGoingForward: boolean;
  /** The wait being timed now: a step's replies, or `<step>.children`. */
  waitingFor: { step: string; attempt: number; dueAt: string } | null;
  deadlines: DeadlinePolicy;
  children: SagaSummary[];
  timeline: TimelineEntry[];
}

export interface DlqMessage {
  id: string;
  dlqTopic: string;
  partition: number;
  offset: string;
  originalTopic: string;
  consumerGroup: string | null;
  messageId: string | null;
  messageType: string | null;
  key: string | null;
  value: string | null;
  headers: Record<string, string>;
  error: string | null;
  attempts: number | null;
  status: string;
  replayCount: number;
  receivedAt: string;
  resolvedAt: string | null;
}

export interface ConsumerGroup {
  groupId: string;
  totalLag: number;
  partitions: {
    topic: string;
    partition: number;
    committedOffset: string;
    highWatermark: string;
    lag: number;
  }[];
}

export interface TopicHealth {
  name: string;
  status: 'ok' | 'missing' | 'degraded';
  partitions?: number;
  leaderlessPartitions?: number;
  messages?: number;
}

export interface TraceLink {
  traceId: string;
  /** The trace backend's page for it, when TRACE_UI_URL is set. */
  url?: string;
}

export interface TraceHop {
  at: string;
  seenAt: string;
  kind: 'http' | 'message' | 'command' | 'processed';
  messageId: string;
  type: string;
  topic: string;
  streamId: string | null;
  correlationId: string;
  causationId: string | null;
  sagaId: string | null;
  sagaStep: string | null;
  service?: string;
  consumer?: string;
  outcome?: string;
  durationMs?: number;
  lagMs?: number;
  /** An HTTP hop's response status. */
  status?: number;
  sincePreviousMs: number;
}

export interface SagaStats {
  byStatus: Record<string, number>;
  buckets: {
    at: string;
    finished: number;
    completed: number;
    compensated: number;
    aborted: number;
    p50Ms: number | null;
    p99Ms: number | null;
  }[];
}

export interface BrowsedMessage {
  partition: number;
  offset: string;
  timestamp: string;
  key: string | null;
  headers: Record<string, string>;
  envelope: { messageId: string; type: string; correlationId: string; payload: unknown } | null;
  raw?: string;
  problem?: string;
}

export interface BrowsePage {
  topic: string;
  messages: BrowsedMessage[];
  scanned: number;
  next: string | null;
}

export interface ProjectionDrift {
  checkedAt: string;
  rowsOffVersion: number;
  sampledStreams: number;
  rowsDiffering: number;
  differingStreams: string[];
  drifted: boolean;
}

export interface RebuildRun {
  id: string;
  phase: 'replaying' | 'swapping' | 'swapped' | 'failed';
  eventsTotal: number;
  eventsDone: number;
  eventsPerSecond: number | null;
  etaSeconds: number | null;
  error: string | null;
  startedAt: string;
  finishedAt: string | null;
}

export interface ProjectionStatus {
  name: string;
  source: 'event-store' | 'kafka';
  tables: string[];
  topic?: string;
  consumerGroup?: string;
  drift?: ProjectionDrift | null;
  driftCheckFailed?: string | null;
  lastRebuild?: RebuildRun | null;
}

/** The services whose read models /ops/projections/<service> rebuilds and checks (each answers for itself). */
export const PROJECTION_SERVICES = ['broker-connection', 'broker-account', 'virtual-broker', 'automation'];
