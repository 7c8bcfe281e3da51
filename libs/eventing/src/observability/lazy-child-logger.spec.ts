import { Writable } from 'node:stream';
import pino from 'pino';
import { withLazyChildren } from './lazy-child-logger';

function logger(level: string) {
  const lines: Record<string, unknown>[] = [];
  const serialized: unknown[] = [];
  const sink = new Writable({
    write: (chunk, _encoding, done) => void (lines.push(JSON.parse(String(chunk))), done()),
  });
  const root = pino({ level, serializers: { req: (req: unknown) => (serialized.push(req), req) } }, sink);
  return { root: withLazyChildren(root), lines, serialized };
}

describe('withLazyChildren', () => {
  it('given a child only logged to below the level, never serializes its bindings', () => {
    const { root, lines, serialized } = logger('warn');
    root.child({ req: { id: 'r-1' } }).info('handled');
    expect(serialized).toEqual([]);
    expect(lines).toEqual([]);
  });

  it('given a child logged to at an enabled level, writes its bindings like a plain child', () => {
    const { root, lines } = logger('warn');
    const child = root.child({ req: { id: 'r-1' } });
    child.info('handled');
    child.warn('refused');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ req: { id: 'r-1' }, msg: 'refused', level: 40 });
  });

  it('keeps grandchildren and their added bindings', () => {
    const { root, lines } = logger('info');
    root
      .child({ req: { id: 'r-1' } })
      .child({ userId: 'u-1' })
      .info('placed');
    expect(lines[0]).toMatchObject({ req: { id: 'r-1' }, userId: 'u-1', msg: 'placed' });
  });

  it('given bindings set on a child, leaves its parent as it was', () => {
    const { root, lines } = logger('info');
    root.child({ req: { id: 'r-1' } }).setBindings({ userId: 'u-1' });
    root.info('outside');
    expect(lines[0]).not.toHaveProperty('userId');
  });
});
