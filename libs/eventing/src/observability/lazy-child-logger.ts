import type { Bindings, ChildLoggerOptions, Logger } from 'pino';

const noop = (): void => undefined;

// pino children inherit `child` from their parent, so a patched one must remember pino's own.
const PINO_CHILD = Symbol('pino child');
type Child = (bindings: Bindings, options?: ChildLoggerOptions) => Logger;
type PatchedChild = Child & { [PINO_CHILD]?: Child };

/**
 * Makes the children of `logger` lazy: one is only built (its bindings serialized and redacted)
 * when first used at an enabled level. pino-http makes a child per request, which below its
 * level (LOG_LEVEL=warn and a 2xx answer) is never written. Children of children are lazy too.
 */
export function withLazyChildren<T extends Logger>(logger: T): T {
  const current = logger.child as unknown as PatchedChild;
  const pinoChild = current[PINO_CHILD] ?? current;
  const child: PatchedChild = (bindings, options) =>
    lazyLogger(logger, () => withLazyChildren(pinoChild.call(logger, bindings, options)));
  child[PINO_CHILD] = pinoChild;
  logger.child = child as unknown as T['child'];
  return logger;
}

function lazyLogger(parent: Logger, build: () => Logger): Logger {
  let built: Logger | undefined;
  const real = (): Logger => (built ??= build());
  return new Proxy(parent, {
    get: (_parent, property) => {
      if (!built && isDisabledLevel(parent, property)) return noop;
      const target = real();
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
    set: (_parent, property, value) => Reflect.set(real(), property, value),
    has: (_parent, property) => Reflect.has(real(), property),
  });
}

function isDisabledLevel(logger: Logger, property: string | symbol): boolean {
  return (
    typeof property === 'string' &&
    Object.hasOwn(logger.levels.values, property) &&
    !logger.isLevelEnabled(property)
  );
}
