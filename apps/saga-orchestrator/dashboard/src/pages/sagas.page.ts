import { api, type SagaSummary, sagaStream, type StreamState } from '../api';
import { age, badge, empty, failure, h, loading, replace, shortId, time } from '../dom';

const STATUSES = ['QUEUED', 'RUNNING', 'COMPENSATING', 'FAILED', 'COMPLETED', 'COMPENSATED', 'ABORTED'];
const TYPES = ['BrokerConnection', 'BrokerDisconnection', 'UserDeletion'];
const AGES: [string, string][] = [
  ['', 'any age'],
  ['60000', 'older than 1 min'],
  ['600000', 'older than 10 min'],
  ['3600000', 'older than 1 h'],
  ['86400000', 'older than 1 day'],
];

function select(id: string, label: string, options: [string, string][], value: string): HTMLElement {
  return h(
    'span',
    { class: 'field' },
    h('label', { for: id }, label),
    h(
      'select',
      { id, name: id },
      options.map(([v, text]) => h('option', { value: v, selected: v === value }, text)),
    ),
  );
}

export function renderSagas(main: HTMLElement, params: URLSearchParams): () => void {
  const live = h('span', { class: 'live', role: 'status', 'aria-live': 'polite' }, 'connecting…');
  const form = h(
    'form',
    { class: 'filters', 'aria-label': 'Filter sagas' },
    select(
      'type',
      'Type',
      [['', 'all types'], ...TYPES.map((t): [string, string] => [t, t])],
      params.get('type') ?? '',
    ),
    select(
      'status',
      'Status',
      [['', 'all statuses'], ...STATUSES.map((s): [string, string] => [s, s])],
      params.get('status') ?? '',
    ),
    select('olderThanMs', 'Age', AGES, params.get('olderThanMs') ?? ''),
    h(
      'span',
      { class: 'field' },
      h('label', { for: 'aggregateId' }, 'Aggregate id'),
      h('input', {
        id: 'aggregateId',
        name: 'aggregateId',
        value: params.get('aggregateId') ?? '',
        placeholder: 'connection or user id',
      }),
    ),
    h(
      'label',
      { class: 'check' },
      h('input', { type: 'checkbox', name: 'stuck', value: 'true', checked: params.get('stuck') === 'true' }),
      'stuck',
    ),
    h(
      'label',
      { class: 'check' },
      h('input', {
        type: 'checkbox',
        name: 'retrying',
        value: 'true',
        checked: params.get('retrying') === 'true',
      }),
      'retrying',
    ),
    h('button', { type: 'submit' }, 'Apply'),
  );
  const results = h('div', { class: 'results' }, loading('sagas'));
  replace(main, h('div', { class: 'page-head' }, h('h1', {}, 'Sagas'), live), form, results);

  const apply = () => {
    const query = new URLSearchParams();
    for (const [name, value] of new FormData(form)) if (value) query.set(name, String(value));
    location.hash = `#/sagas?${query}`;
  };
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    apply();
  });
  form.addEventListener('change', (event) => {
    if (
      (event.target as HTMLElement).tagName !== 'INPUT' ||
      (event.target as HTMLInputElement).type === 'checkbox'
    )
      apply();
  });

  const changed = new Set<string>();
  const load = async () => {
    try {
      const query = new URLSearchParams(params);
      query.set('limit', '200');
      const { sagas } = await api<{ sagas: SagaSummary[] }>(`/ops/sagas?${query}`);
      replace(
        results,
        sagas.length === 0
          ? empty(
              'No saga matches these filters.',
              'Sagas start when a broker connection is requested, a disconnection or a user deletion; this list updates by itself.',
            )
          : table(sagas, changed),
      );
    } catch (error) {
      replace(results, failure(error, load));
    }
  };
  void load();

  let pending: ReturnType<typeof setTimeout> | undefined;
  const stop = sagaStream(
    (sagas) => {
      for (const saga of sagas) changed.add(saga.id);
      clearTimeout(pending);
      pending = setTimeout(() => void load(), 150);
    },
    (state: StreamState) => {
      live.textContent =
        state === 'live' ? '● live' : state === 'connecting' ? 'connecting…' : 'reconnecting…';
      live.className = `live live-${state}`;
    },
  );
  return () => {
    clearTimeout(pending);
    stop();
  };
}

function table(sagas: SagaSummary[], changed: Set<string>): HTMLElement {
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      { class: 'sagas' },
      h('caption', { class: 'sr-only' }, 'Sagas, newest first'),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          ['Saga', 'Type', 'Status', 'Step', 'Retries', 'Started', 'Age', 'Failure'].map((c) =>
            h('th', { scope: 'col' }, c),
          ),
        ),
      ),
      h(
        'tbody',
        {},
        sagas.map((saga) =>
          h(
            'tr',
            {
              class: changed.has(saga.id) ? 'changed' : false,
              'data-saga-id': saga.id,
              'data-aggregate-id': saga.aggregateId,
              'data-status': saga.status,
            },
            h(
              'td',
              {},
              h('a', { href: `#/sagas/${saga.id}`, class: 'mono', title: saga.id }, shortId(saga.id)),
              saga.parentSagaId && h('span', { class: 'hint' }, ' child'),
            ),
            h('td', {}, saga.type),
            h('td', {}, badge(saga.status)),
            h('td', {}, saga.currentStep ?? '—'),
            h('td', { class: 'num' }, saga.retries),
            h('td', {}, time(saga.createdAt)),
            h('td', {}, saga.finishedAt ? '—' : age(saga.createdAt)),
            h(
              'td',
              { class: 'failure' },
              saga.failure ? `${saga.failure.code ?? ''} ${saga.failure.message ?? ''}`.trim() : '',
            ),
          ),
        ),
      ),
    ),
  );
}
