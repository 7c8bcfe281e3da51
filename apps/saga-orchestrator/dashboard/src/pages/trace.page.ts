import { api, type TraceHop, type TraceLink } from '../api';
import { badge, duration, empty, failure, h, json, loading, replace, time } from '../dom';

const KEYS: [string, string][] = [
  ['correlationId', 'Correlation id'],
  ['aggregateId', 'Aggregate id'],
  ['messageId', 'Message id'],
];

const ownerOf = (topic: string) => topic.split('.')[0];

/** Which service a hop happened in: the one that answered or handled it, the sender for commands, the publisher otherwise. */
function laneOf(hop: TraceHop, byMessage: Map<string, TraceHop>): string {
  if (hop.kind === 'processed' || hop.kind === 'http') return hop.service ?? 'unknown';
  if (hop.kind === 'command') return 'saga-orchestrator';
  if (hop.topic === 'saga.replies') {
    const command = hop.causationId ? byMessage.get(hop.causationId) : undefined;
    return command ? ownerOf(command.topic) : 'participant';
  }
  return ownerOf(hop.topic);
}

export function renderTrace(main: HTMLElement, params: URLSearchParams): void {
  const [key, value] = KEYS.map(([k]) => [k, params.get(k)] as const).find(([, v]) => v) ?? [
    'correlationId',
    null,
  ];
  const kind = h(
    'select',
    { id: 'trace-key', name: 'key' },
    KEYS.map(([k, label]) => h('option', { value: k, selected: k === key }, label)),
  );
  const input = h('input', {
    id: 'trace-value',
    name: 'value',
    value: value ?? '',
    required: true,
    placeholder: 'paste an id',
    size: 40,
  });
  const form = h(
    'form',
    { class: 'filters', role: 'search', 'aria-label': 'Trace' },
    h('label', { for: 'trace-key' }, 'Search by'),
    kind,
    h('label', { for: 'trace-value', class: 'sr-only' }, 'Id'),
    input,
    h('button', { type: 'submit' }, 'Trace'),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    location.hash = `#/trace?${kind.value}=${encodeURIComponent(input.value.trim())}`;
  });
  const results = h('div', {});
  const inspector = h('aside', {
    class: 'inspector',
    'aria-live': 'polite',
    'aria-label': 'Message details',
  });
  replace(
    main,
    h('h1', {}, 'Trace'),
    h(
      'p',
      { class: 'hint' },
      'Every hop of a flow in time order, one lane per service: the HTTP request that started it, what was published, which commands the saga sent, and each consumer that handled them, with the time since the previous hop.',
    ),
    form,
    h('div', { class: 'trace-layout' }, results, inspector),
  );
  if (!value) {
    replace(
      results,
      empty(
        'Give a correlation id, an aggregate id (connection or user id) or a message id.',
        'Saga pages, dead letters and API responses (x-correlation-id header) link here.',
      ),
    );
    input.focus();
    return;
  }
  replace(results, loading('the trace'));
  void (async () => {
    try {
      const trace = await api<{ correlationIds: string[]; traces: TraceLink[]; entries: TraceHop[] }>(
        `/ops/trace?${key}=${encodeURIComponent(value)}`,
      );
      if (trace.entries.length === 0)
        return replace(
          results,
          empty(
            `Nothing was traced for ${key} ${value}.`,
            'Check the id; traces are kept for messages seen since the orchestrator started recording them.',
          ),
        );
      const byMessage = new Map(
        trace.entries.filter((e) => e.kind !== 'processed').map((e) => [e.messageId, e]),
      );
      // Lanes in the order the flow reached them, so the request's origin is on the left.
      const lanes = [...new Set(trace.entries.map((hop) => laneOf(hop, byMessage)))];
      const grid = h('div', { class: 'swimlanes', role: 'table', 'aria-label': 'Trace swimlanes' });
      grid.style.gridTemplateColumns = `7.5rem 5rem repeat(${lanes.length}, minmax(8.5rem, 1fr))`;
      grid.append(
        h('div', { class: 'lane-head', role: 'columnheader' }, 'When'),
        h('div', { class: 'lane-head', role: 'columnheader' }, 'Hop'),
        ...lanes.map((lane) =>
          h('div', { class: 'lane-head', role: 'columnheader', 'data-lane': lane }, lane),
        ),
      );
      for (const hop of trace.entries) {
        const lane = laneOf(hop, byMessage);
        const card = h(
          'button',
          {
            type: 'button',
            class: `hop hop-${hop.kind} ${hop.outcome && hop.kind === 'processed' ? `outcome-${hop.outcome}` : ''}`,
            'data-lane': lane,
            'data-kind': hop.kind,
            onclick: () => void inspect(hop, inspector, lane),
          },
          h(
            'span',
            { class: 'hop-type' },
            hop.kind === 'processed' ? `${hop.outcome} ${hop.type}` : hop.type,
          ),
          h('span', { class: 'hop-sub' }, subtitleOf(hop)),
        );
        const cells = lanes.map((l) => h('div', { class: 'lane-cell', role: 'cell' }, l === lane && card));
        grid.append(
          h('div', { class: 'when', role: 'cell' }, time(hop.at)),
          h('div', { class: 'since', role: 'cell' }, `+${duration(hop.sincePreviousMs)}`),
          ...cells,
        );
      }
      const services = lanes.length;
      replace(
        results,
        h(
          'p',
          {},
          `${trace.entries.length} hops across ${services} service(s); correlation ${trace.correlationIds.join(', ')}. Select a hop to see its envelope and headers.`,
        ),
        traceLinks(trace.traces),
        h('div', { class: 'table-wrap' }, grid),
      );
    } catch (error) {
      replace(results, failure(error));
    }
  })();
}

/** The OpenTelemetry trace ids of the flow, each a link to the trace backend when one is configured. */
function traceLinks(traces: readonly TraceLink[]): HTMLElement | false {
  if (traces.length === 0) return false;
  const links = traces.map(({ traceId, url }) =>
    url ? h('a', { href: url, target: '_blank', rel: 'noopener' }, traceId) : h('code', {}, traceId),
  );
  return h('p', { class: 'trace-ids' }, `OpenTelemetry trace${traces.length > 1 ? 's' : ''}: `, ...links);
}

function subtitleOf(hop: TraceHop): string {
  switch (hop.kind) {
    case 'http':
      return `HTTP ${hop.status} · took ${duration(hop.durationMs)}`;
    case 'processed':
      return `${hop.consumer} · took ${duration(hop.durationMs)} · lag ${duration(hop.lagMs)}`;
    case 'command':
      return `command → ${hop.topic}${hop.sagaStep ? ` · ${hop.sagaStep}` : ''}`;
    case 'message':
      return `${hop.topic}${hop.sagaStep ? ` · ${hop.sagaStep}` : ''}`;
    default: {
      const unknown: never = hop.kind;
      return unknown;
    }
  }
}

async function inspect(hop: TraceHop, inspector: HTMLElement, lane: string): Promise<void> {
  replace(inspector, loading('the message'));
  try {
    const message = await api<{
      topic: string;
      key: string;
      headers: Record<string, string>;
      envelope: unknown;
      handledBy: Handling[];
    }>(`/ops/trace/messages/${encodeURIComponent(hop.messageId)}`);
    replace(
      inspector,
      h('h2', {}, hop.type),
      h('p', {}, `in ${lane} · `, time(hop.at)),
      hop.kind === 'processed' &&
        h(
          'p',
          {},
          badge(hop.outcome ?? ''),
          ` by ${hop.consumer}: took ${duration(hop.durationMs)}, ${duration(hop.lagMs)} after it was published`,
        ),
      hop.kind === 'http'
        ? h(
            'p',
            {},
            `${lane} answered ${hop.status} after ${duration(hop.durationMs)}; the envelope below is its report of the request.`,
          )
        : handledBy(message.handledBy),
      h('h3', {}, `Kafka: ${message.topic}, key ${message.key}`),
      h('h3', {}, 'Headers'),
      json(message.headers),
      h('h3', {}, 'Envelope'),
      json(message.envelope),
    );
  } catch (error) {
    replace(inspector, h('h2', {}, hop.type), failure(error));
  }
}

interface Handling {
  service: string;
  consumer: string;
  outcome: string;
  durationMs: number;
  lagMs: number;
  at: string;
}

function handledBy(handled: Handling[]): HTMLElement[] {
  return [
    h('h3', {}, 'Handled by'),
    handled.length === 0
      ? h(
          'p',
          { class: 'hint' },
          'No consumer has reported handling it (services report through ops.telemetry).',
        )
      : h(
          'ul',
          {},
          handled.map((by) =>
            h(
              'li',
              {},
              `${by.service} / ${by.consumer}: `,
              badge(by.outcome),
              ` ${duration(by.durationMs)}, lag ${duration(by.lagMs)}`,
            ),
          ),
        ),
  ];
}
