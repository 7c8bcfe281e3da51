/**
 * A command broke a business rule. `code` is stable for clients; the message says what rule
 * and what the caller can do. The HTTP layer maps it to a 4xx.
 */
export class DomainError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly details?: Readonly<Record<string, unknown>>,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}
