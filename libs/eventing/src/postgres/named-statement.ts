import type { EntityManager } from 'typeorm';
import { type PreparedStatement, prepared, queryPrepared } from './prepared-statement';

/** `p.name` in a statement's text stands where the parameter `name` goes. */
export type Placeholders<P> = { readonly [K in keyof P]: string };

export interface NamedStatement<Args extends unknown[]> {
  readonly statement: PreparedStatement;
  /** The positional values, in the order the text first names them. */
  valuesOf(...args: Args): unknown[];
  run(manager: EntityManager, ...args: Args): Promise<unknown[]>;
}

/**
 * A prepared statement written with named parameters: `values` turns the caller's arguments into
 * `{ name: value }` and `text` writes `p.name` where each goes. Names become `$1…$n` once, when the
 * statement is built, so no offsets are kept in step by hand; a name the text uses that `values`
 * does not give is a compile error.
 */
export function namedStatement<Args extends unknown[], P extends object>(
  prefix: string,
  values: (...args: Args) => P,
  text: (p: Placeholders<P>) => string,
): NamedStatement<Args> {
  const names: string[] = [];
  const placeholders = new Proxy({} as Placeholders<P>, {
    get: (_, name) => {
      if (typeof name !== 'string') throw new Error(`${prefix}: parameters are named by strings`);
      const index = names.includes(name) ? names.indexOf(name) : names.push(name) - 1;
      return `$${index + 1}`;
    },
  });
  const statement = prepared(prefix, text(placeholders));
  const valuesOf = (...args: Args) => {
    const given = values(...args);
    return names.map((name): unknown => Reflect.get(given, name));
  };
  return {
    statement,
    valuesOf,
    run: (manager, ...args) => queryPrepared(manager, statement, valuesOf(...args)),
  };
}
