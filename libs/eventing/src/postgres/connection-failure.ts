/** Socket errors, and SQLSTATE classes 08 (connection exception) and 57P (operator intervention: shutdown, restart). */
const SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);
const SERVER_CODES = /^(08|57P0[1-3])/;
const CLIENT_MESSAGES =
  /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Client was closed|is not queryable|Cannot use a pool after calling end/;

/**
 * True when PostgreSQL could not be reached or dropped the connection, as opposed to refusing the
 * statement: the message or request was not at fault, so trying again later is the whole cure.
 * Looks through TypeORM's QueryFailedError (driverError) and `cause` chains.
 */
export function isConnectionFailure(error: unknown): boolean {
  for (let current = error, depth = 0; current && depth < 5; depth += 1) {
    const { code, message, driverError, cause } = current as {
      code?: unknown;
      message?: unknown;
      driverError?: unknown;
      cause?: unknown;
    };
    if (typeof code === 'string' && (SOCKET_CODES.has(code) || SERVER_CODES.test(code))) return true;
    if (typeof message === 'string' && CLIENT_MESSAGES.test(message)) return true;
    current = driverError ?? cause;
  }
  return false;
}
