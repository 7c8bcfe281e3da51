/**
 * A message as the contracts publish it: the envelope's `type`, `schemaVersion` and
 * `payload`. The envelope adds ids, stream position and causality on the wire.
 */
export interface Message<TType extends string, TPayload, TVersion extends number = 1> {
  readonly type: TType;
  readonly schemaVersion: TVersion;
  readonly payload: Readonly<TPayload>;
}

/**
 * One step of a contract's evolution: the payload of `type` at `fromSchemaVersion` as the next
 * version. Pure and total: every message ever published at that version must come out valid.
 */
export interface ContractUpcaster {
  readonly type: string;
  readonly fromSchemaVersion: number;
  upcast(payload: unknown): unknown;
}

/** Money and quantities travel as decimal strings so no service loses precision to floats. */
export type Decimal = string;

/** ISO-8601 UTC timestamp. */
export type Timestamp = string;

/** A stable, machine-readable reason for a refusal or a failure, plus words for a human. */
export interface Reason {
  readonly code: string;
  readonly message: string;
  /**
   * The same command may succeed if sent again later (a broker that timed out or was
   * unavailable): a saga retries the step with backoff before it compensates.
   */
  readonly transient?: boolean;
}

/** Lists a union's type names at run time; the `Record` makes a missing or extra name a compile error. */
export function typeNamesOf<M extends Message<string, unknown, number>>(
  names: Record<M['type'], true>,
): readonly M['type'][] {
  return Object.keys(names) as M['type'][];
}
