/**
 * What domain code may import from eventing: pure types and errors that load no I/O library.
 * Deciders import `@tradecore/eventing/domain`, never the barrel (lint rule domain-is-pure-transitively).
 */
export { type Decider, foldEvents } from './decider/decider';
export { DomainError } from './decider/domain-error';
