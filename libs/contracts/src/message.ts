/**
 * A message as the contracts publish it: the envelope's `type`, `schemaVersion` and
 * `payload`. The envelope adds ids, stream position and causality on the wire.
 */
export interface Message<TType extends string, TPayload, TVersion extends number = 1> {
  readonly type: TType;
  readonly schemaVersion: TVersion;
  readonly payload: Readonly<TPayload>;
}

/** A message as a decider holds it, `{ type, ...payload }`: internal events defined this way cannot drift from the contract. */
export type Flat<M extends { readonly type: string; readonly payload: object }> = M extends unknown
  ? { readonly type: M['type'] } & M['payload']
  : never;

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

type AnyMessage = Message<string, unknown, number>;

/** Lists a union's type names at run time; the `Record` makes a missing or extra name a compile error. */
export function typeNamesOf<M extends AnyMessage>(names: Record<M['type'], unknown>): readonly M['type'][] {
  return Object.keys(names) as M['type'][];
}

/** The payload fields of M that always hold a string, so can be its Kafka key. */
export type KeyFieldOf<M extends AnyMessage> = {
  [K in keyof M['payload'] & string]-?: undefined extends M['payload'][K]
    ? never
    : M['payload'][K] extends string
      ? K
      : never;
}[keyof M['payload'] & string];

/**
 * Each command type's key field: the aggregate it targets, so its commands stay in order on one
 * partition. The mapped type makes a command without a key field a compile error.
 */
export type CommandKeyFields<M extends AnyMessage> = {
  readonly [T in M['type']]: KeyFieldOf<Extract<M, { readonly type: T }>>;
};

export const commandKeyFieldsOf = <M extends AnyMessage>(keys: CommandKeyFields<M>): CommandKeyFields<M> =>
  keys;
