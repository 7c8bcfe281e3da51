/**
 * A command broke a business rule. Same shape as the shared DomainError in @tradecore/eventing,
 * which replaces this one once that library lands.
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
