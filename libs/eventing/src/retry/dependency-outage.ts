/** Socket errors meaning the other end (PostgreSQL, Redis, Kafka) cannot be reached right now. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
  'ECONNABORTED',
]);

const KAFKA_OUTAGES = new Set([
  'KafkaJSConnectionError',
  'KafkaJSConnectionClosedError',
  'KafkaJSBrokerNotFound',
  'KafkaJSRequestTimeoutError',
  'KafkaJSNumberOfRetriesExceeded',
]);

// pg and ioredis say "connection lost" in messages, not codes.
const LOST_CONNECTION = [
  /Connection terminated/,
  /timeout exceeded when trying to connect/,
  /Client has encountered a connection error|Client was closed|is not queryable|Cannot use a pool after calling end/,
  /^Command timed out/,
  /^Connection is closed\.?$/,
  /^Stream isn't writeable/,
  /^Reached the max retries per request limit/,
];

/** PostgreSQL SQLSTATEs of a server that is away, not of a statement that is wrong. */
function isPostgresOutage(code: string): boolean {
  return code.startsWith('08') || code === '53300' || ['57P01', '57P02', '57P03'].includes(code);
}

type Failure = Error & {
  code?: unknown;
  cause?: unknown;
  driverError?: unknown;
  previousErrors?: unknown;
  errors?: unknown;
};

/**
 * Whether work failed because a dependency is down rather than because of the request, the
 * message or a bug: a request is answered 503 (come back later), and a consumer waits for the
 * dependency without spending an attempt or dead-lettering the message.
 * Looks through the wrappers TypeORM, ioredis transactions and Node's AggregateError put around it.
 */
export function isDependencyOutage(error: unknown, depth = 0): boolean {
  // Not `instanceof Error`: errors from Node's own modules may come from another realm (as under jest).
  if (typeof error !== 'object' || error === null || depth > 4) return false;
  const failure = error as Failure;
  const code = typeof failure.code === 'string' ? failure.code : '';
  if (NETWORK_CODES.has(code) || isPostgresOutage(code)) return true;
  if (KAFKA_OUTAGES.has(failure.name) || failure.name === 'MaxRetriesPerRequestError') return true;
  if (LOST_CONNECTION.some((pattern) => pattern.test(String(failure.message)))) return true;
  const inner = [
    failure.cause,
    failure.driverError,
    ...(Array.isArray(failure.previousErrors) ? failure.previousErrors : []),
    ...(Array.isArray(failure.errors) ? failure.errors : []),
  ];
  return inner.some((candidate) => isDependencyOutage(candidate, depth + 1));
}
