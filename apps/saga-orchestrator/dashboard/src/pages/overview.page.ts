import {
  api,
  type ConsumerGroup,
  type DlqMessage,
  type SagaStats,
  sagaStream,
  type TopicHealth,
} from '../api';
import { clock, duration, failure, h, loading, replace } from '../dom';
import { type ConnectionStates, connectionsPanel } from './connections.panel';

const SVG = 'http://www.w3.org/2000/svg';

function svg(tag: string, attrs: Record<string, string | number>): SVGElement {
  const element = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attrs)) element.setAttribute(name, String(value));
  return element;
}

function label(text: string, x: number, y: number, anchor: 'start' | 'middle' | 'end'): SVGElement {
  const element = svg('text', { x, y, 'text-anchor': anchor, class: 'chart-axis' });
  element.textContent = text;
  return element;
}

/** Which points get a time label under the chart: the first, the middle and the last. */
function timeTicks(count: number): [number, 'start' | 'middle' | 'end'][] {
  if (count === 0) return [];
  if (count < 3) return [[0, 'start']];
  return [
    [0, 'start'],
    [Math.floor(count / 2), 'middle'],
    [count - 1, 'end'],
  ];
}

/** A small bar (throughput) or line (p99) chart; the numbers are also in a visually hidden table. */
function chart(
  title: string,
  points: { at: string; value: number | null }[],
  kind: 'bar' | 'line',
  unit: (v: number) => string,
): HTMLElement {
  const width = 480;
  const height = 120;
  const top = 16; // room for the value axis label
  const max = Math.max(1, ...points.map((p) => p.value ?? 0));
  const root = svg('svg', {
    viewBox: `0 0 ${width} ${top + height + 18}`,
    role: 'img',
    'aria-label': `${title}: ${points.length} points, max ${unit(max)}`,
    class: 'chart',
  });
  const step = points.length > 0 ? width / points.length : width;
  const y = (v: number) => top + height - (v / max) * height;
  if (kind === 'bar') {
    points.forEach((p, i) => {
      const v = p.value ?? 0;
      const bar = svg('rect', {
        x: i * step + 1,
        y: y(v),
        width: Math.max(1, step - 2),
        height: (v / max) * height,
        class: 'chart-bar',
      });
      const tip = svg('title', {});
      tip.textContent = `${clock(p.at)}: ${unit(v)}`;
      bar.appendChild(tip);
      root.appendChild(bar);
    });
  } else {
    const path = points
      .filter((p) => p.value !== null)
      .map((p, i) => `${i === 0 ? 'M' : 'L'}${(points.indexOf(p) + 0.5) * step},${y(p.value ?? 0)}`)
      .join(' ');
    if (path) root.appendChild(svg('path', { d: path, class: 'chart-line' }));
  }
  root.appendChild(
    svg('line', { x1: 0, x2: width, y1: top + height, y2: top + height, class: 'chart-rule' }),
  );
  root.appendChild(label(`max ${unit(max)}`, 0, 11, 'start'));
  for (const [index, anchor] of timeTicks(points.length)) {
    root.appendChild(label(clock(points[index].at, false), (index + 0.5) * step, top + height + 14, anchor));
  }
  return h(
    'figure',
    { class: 'card chart-card' },
    h('figcaption', {}, title),
    points.length === 0 ? h('p', { class: 'state empty' }, 'No saga finished in the last hour.') : root,
    h(
      'table',
      { class: 'sr-only' },
      h(
        'tbody',
        {},
        points.map((p) =>
          h('tr', {}, h('td', {}, clock(p.at)), h('td', {}, p.value === null ? '—' : unit(p.value))),
        ),
      ),
    ),
  );
}

function card(label: string, value: string | number, href: string, tone = ''): HTMLElement {
  return h(
    'a',
    { class: `card stat ${tone}`, href },
    h('span', { class: 'stat-value' }, value),
    h('span', { class: 'stat-label' }, label),
  );
}

export function renderOverview(main: HTMLElement): () => void {
  const body = h('div', {}, loading('the overview'));
  replace(main, h('h1', {}, 'Overview'), body);
  const load = async () => {
    const settled = await Promise.allSettled([
      api<SagaStats>('/ops/stats?windowMinutes=60&bucketSeconds=60'),
      api<{ messages: DlqMessage[] }>('/ops/dlq?status=pending&limit=500'),
      api<{ groups: ConsumerGroup[] }>('/ops/consumer-lag'),
      api<{ healthy: boolean; topics: TopicHealth[] }>('/ops/topics'),
      api<ConnectionStates>('/ops/connections'),
    ]);
    const [stats, dlq, lag, topics, connections] = settled;
    if (stats.status === 'rejected')
      return replace(
        body,
        failure(stats.reason, () => void load()),
      );
    const by = stats.value.byStatus;
    const inFlight = (by.QUEUED ?? 0) + (by.RUNNING ?? 0) + (by.COMPENSATING ?? 0);
    const worst =
      lag.status === 'fulfilled'
        ? [...lag.value.groups].sort((a, b) => b.totalLag - a.totalLag)[0]
        : undefined;
    const unhealthy =
      topics.status === 'fulfilled' ? topics.value.topics.filter((t) => t.status !== 'ok') : [];
    const buckets = stats.value.buckets;
    replace(
      body,
      h(
        'div',
        { class: 'cards' },
        card('sagas in flight', inFlight, '#/sagas?status=RUNNING'),
        card('failed (need an operator)', by.FAILED ?? 0, '#/sagas?status=FAILED', by.FAILED ? 'bad' : ''),
        card('compensated', by.COMPENSATED ?? 0, '#/sagas?status=COMPENSATED'),
        card('completed', by.COMPLETED ?? 0, '#/sagas?status=COMPLETED'),
        dlq.status === 'fulfilled'
          ? card(
              'pending dead letters',
              dlq.value.messages.length,
              '#/dlq',
              dlq.value.messages.length ? 'bad' : '',
            )
          : card('dead letters', 'unavailable', '#/dlq', 'bad'),
        worst
          ? card(
              `worst lag: ${worst.groupId}`,
              worst.totalLag,
              '#/consumers',
              worst.totalLag > 0 ? 'warn' : '',
            )
          : card('consumer lag', lag.status === 'rejected' ? 'unavailable' : 'no groups', '#/consumers'),
        topics.status === 'fulfilled'
          ? card(
              topics.value.healthy
                ? 'topics healthy'
                : `topics: ${unhealthy.map((t) => `${t.name} ${t.status}`).join(', ')}`,
              `${topics.value.topics.length - unhealthy.length}/${topics.value.topics.length}`,
              '#/consumers',
              topics.value.healthy ? '' : 'bad',
            )
          : card('topic health', 'unavailable', '#/consumers', 'bad'),
      ),
      h(
        'div',
        { class: 'charts' },
        chart(
          'Sagas finished per minute (last hour)',
          buckets.map((b) => ({ at: b.at, value: b.finished })),
          'bar',
          (v) => `${v} sagas/min`,
        ),
        chart(
          'p99 saga duration per minute',
          buckets.map((b) => ({ at: b.at, value: b.p99Ms })),
          'line',
          (v) => duration(v),
        ),
      ),
      connectionsPanel(connections.status === 'fulfilled' ? connections.value : undefined),
    );
  };
  void load();
  const timer = setInterval(() => void load(), 10_000);
  let pending: ReturnType<typeof setTimeout> | undefined;
  const stop = sagaStream(
    () => {
      clearTimeout(pending);
      pending = setTimeout(() => void load(), 500);
    },
    () => undefined,
  );
  return () => {
    clearInterval(timer);
    clearTimeout(pending);
    stop();
  };
}
