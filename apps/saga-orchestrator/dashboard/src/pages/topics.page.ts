import { api, type BrowsePage, type TopicHealth } from '../api';
import { empty, failure, h, json, loading, replace, time } from '../dom';

const FILTERS = [
  ['partition', 'Partition'],
  ['offset', 'From offset'],
  ['since', 'Since (ISO time)'],
  ['key', 'Key'],
  ['correlationId', 'Correlation id'],
  ['messageId', 'Message id'],
  ['type', 'Type'],
  ['text', 'Text'],
] as const;

/** The topic browser: any topic from a position, filtered, a page at a time (GET /ops/topics/:topic/messages). */
export function renderTopics(main: HTMLElement, params: URLSearchParams): () => void {
  const topic = h('select', { id: 'browse-topic', name: 'topic', required: true });
  const inputs = FILTERS.map(([name, label]) => {
    const input = h('input', {
      id: `browse-${name}`,
      name,
      value: params.get(name) ?? '',
      autocomplete: 'off',
    });
    return { name, field: h('span', { class: 'field' }, h('label', { for: input.id }, label), input), input };
  });
  const form = h(
    'form',
    { class: 'filters', role: 'search', 'aria-label': 'Browse a topic' },
    h('label', { for: 'browse-topic' }, 'Topic'),
    topic,
    inputs.map(({ field }) => field),
    h('button', { type: 'submit' }, 'Read'),
  );
  const results = h('div', { 'aria-live': 'polite' });
  replace(
    main,
    h('div', { class: 'page-head' }, h('h1', {}, 'Topics')),
    h(
      'p',
      { class: 'hint' },
      'Reads a topic without moving any consumer: at most 5,000 records or 5 s per page. Filters apply together.',
    ),
    form,
    results,
  );

  const query = (cursor?: string) => {
    const search = new URLSearchParams({ limit: '50' });
    for (const { name, input } of inputs) if (input.value.trim()) search.set(name, input.value.trim());
    if (cursor) search.set('cursor', cursor);
    return `/ops/topics/${encodeURIComponent(topic.value)}/messages?${search}`;
  };
  const read = async (cursor?: string) => {
    replace(results, loading('messages'));
    try {
      const page = await api<BrowsePage>(query(cursor));
      replace(
        results,
        h('p', { class: 'hint', role: 'status' }, `${page.messages.length} shown of ${page.scanned} read`),
        page.messages.length === 0
          ? empty('No message matches in this page.', page.next ? 'Read on with the next page.' : undefined)
          : h(
              'div',
              { class: 'table-wrap' },
              h(
                'table',
                { class: 'topic-messages' },
                h(
                  'thead',
                  {},
                  h(
                    'tr',
                    {},
                    ['Partition', 'Offset', 'Time', 'Key', 'Type', 'Correlation id', 'Envelope'].map((c) =>
                      h('th', { scope: 'col' }, c),
                    ),
                  ),
                ),
                h(
                  'tbody',
                  {},
                  page.messages.map((m) =>
                    h(
                      'tr',
                      {},
                      h('td', { class: 'num' }, m.partition),
                      h('td', { class: 'num' }, m.offset),
                      h('td', {}, time(m.timestamp)),
                      h('td', { class: 'mono' }, m.key ?? '—'),
                      h(
                        'td',
                        {},
                        m.envelope?.type ?? h('span', { class: 'warn' }, m.problem ?? 'not an envelope'),
                      ),
                      h('td', { class: 'mono' }, m.envelope?.correlationId ?? '—'),
                      h('td', {}, h('details', {}, h('summary', {}, 'show'), json(m.envelope ?? m.raw))),
                    ),
                  ),
                ),
              ),
            ),
        page.next && h('button', { type: 'button', onclick: () => void read(page.next!) }, 'Next page'),
      );
    } catch (error) {
      replace(
        results,
        failure(error, () => void read(cursor)),
      );
    }
  };
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void read();
  });

  void api<{ topics: TopicHealth[] }>('/ops/topics').then(
    ({ topics }) => {
      const present = topics.filter((t) => t.status !== 'missing');
      replace(
        topic,
        present.map((t) =>
          h(
            'option',
            { value: t.name, selected: t.name === params.get('topic') },
            `${t.name} (${t.messages ?? 0})`,
          ),
        ),
      );
      if (params.get('topic')) void read();
    },
    (error: unknown) => replace(results, failure(error)),
  );
  return () => undefined;
}
