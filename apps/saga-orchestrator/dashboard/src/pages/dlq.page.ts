import { api, ApiError, type DlqMessage } from '../api';
import { confirmDialog, empty, failure, h, json, loading, replace, shortId, time, toast } from '../dom';

const errorLine = (message: DlqMessage) =>
  (message.error ?? 'no error recorded').split('\n')[0].slice(0, 200);

function pretty(value: string | null): HTMLElement {
  if (value === null) return h('p', { class: 'hint' }, 'no value');
  try {
    return json(JSON.parse(value));
  } catch {
    return h('pre', { class: 'json', tabindex: 0 }, value);
  }
}

export function renderDlq(main: HTMLElement, params: URLSearchParams): void {
  const status = params.get('status') ?? 'pending';
  const results = h('div', {}, loading('dead letters'));
  const statusPicker = h(
    'select',
    {
      id: 'dlq-status',
      onchange: (event: Event) =>
        (location.hash = `#/dlq?status=${(event.target as HTMLSelectElement).value}`),
    },
    ['pending', 'replayed', 'discarded'].map((s) => h('option', { value: s, selected: s === status }, s)),
  );
  replace(
    main,
    h(
      'div',
      { class: 'page-head' },
      h('h1', {}, 'Dead letters'),
      h('span', {}, h('label', { for: 'dlq-status' }, 'Status '), statusPicker),
    ),
    h(
      'p',
      { class: 'hint' },
      'Messages a consumer gave up on, grouped by topic and error. Replaying re-sends them to their original topic; consumers skip what they already handled.',
    ),
    results,
  );

  const run = async (what: string, request: () => Promise<unknown>) => {
    try {
      const result = (await request()) as { replayed?: unknown[]; discarded?: unknown[] };
      const count = result.replayed?.length ?? result.discarded?.length;
      toast(`${what}: ${count ?? 'done'}${count !== undefined ? ' message(s)' : ''}`);
    } catch (error) {
      toast(
        error instanceof ApiError ? `${error.code ?? error.status}: ${error.message}` : String(error),
        'error',
      );
    }
    await load();
  };

  const load = async (): Promise<void> => {
    try {
      const { messages } = await api<{ messages: DlqMessage[] }>(`/ops/dlq?status=${status}&limit=500`);
      if (messages.length === 0) {
        replace(
          results,
          empty(
            `No ${status} dead letters.`,
            status === 'pending' ? 'Every consumer is keeping up: nothing waits for an operator.' : undefined,
          ),
        );
        return;
      }
      const groups = new Map<string, DlqMessage[]>();
      for (const message of messages) {
        const key = `${message.originalTopic}\u0000${errorLine(message)}`;
        groups.set(key, [...(groups.get(key) ?? []), message]);
      }
      const selected = new Set<string>();
      const pending = status === 'pending';
      replace(
        results,
        pending &&
          h(
            'div',
            { class: 'actions' },
            h(
              'button',
              {
                type: 'button',
                onclick: () =>
                  selected.size === 0
                    ? toast('Select messages first', 'error')
                    : void run('Replayed', () =>
                        api('/ops/dlq/replay', { method: 'POST', body: { ids: [...selected] } }),
                      ),
              },
              'Replay selected',
            ),
            h(
              'button',
              {
                type: 'button',
                class: 'secondary',
                onclick: async () => {
                  if (
                    await confirmDialog({
                      title: 'Replay every pending dead letter?',
                      body: `${messages.length} message(s) go back to their original topics.`,
                      confirm: 'Replay all',
                    })
                  )
                    await run('Replayed', () =>
                      api('/ops/dlq/replay', { method: 'POST', body: { all: true } }),
                    );
                },
              },
              'Replay all pending',
            ),
          ),
        [...groups.entries()].map(([key, members]) => {
          const [topic, error] = key.split('\u0000');
          return h(
            'section',
            { class: 'group', 'aria-label': `${topic}: ${error}` },
            h('h2', {}, h('span', { class: 'mono' }, topic), ` · ${members.length} message(s)`),
            h('p', { class: 'failure' }, error),
            pending &&
              h(
                'div',
                { class: 'actions' },
                h(
                  'button',
                  {
                    type: 'button',
                    class: 'secondary',
                    onclick: () =>
                      void run('Replayed', () =>
                        api('/ops/dlq/replay', { method: 'POST', body: { ids: members.map((m) => m.id) } }),
                      ),
                  },
                  'Replay this group',
                ),
                h(
                  'button',
                  {
                    type: 'button',
                    class: 'secondary',
                    onclick: () =>
                      void run('Replayed', () => api('/ops/dlq/replay', { method: 'POST', body: { topic } })),
                  },
                  `Replay all of ${topic}`,
                ),
              ),
            h(
              'div',
              { class: 'table-wrap' },
              h(
                'table',
                {},
                h(
                  'thead',
                  {},
                  h(
                    'tr',
                    {},
                    [
                      pending ? 'Select' : '',
                      'Message',
                      'Type',
                      'Consumer',
                      'Attempts',
                      'Received',
                      'Replays',
                      '',
                    ].map((c) => h('th', { scope: 'col' }, c)),
                  ),
                ),
                h(
                  'tbody',
                  {},
                  members.map((message) =>
                    h(
                      'tr',
                      { 'data-dlq-id': message.id },
                      h(
                        'td',
                        {},
                        pending &&
                          h('input', {
                            type: 'checkbox',
                            'aria-label': `select ${message.messageId ?? message.id}`,
                            onchange: (event: Event) =>
                              (event.target as HTMLInputElement).checked
                                ? selected.add(message.id)
                                : selected.delete(message.id),
                          }),
                      ),
                      h(
                        'td',
                        {},
                        message.messageId
                          ? h(
                              'a',
                              {
                                class: 'mono',
                                href: `#/trace?messageId=${encodeURIComponent(message.messageId)}`,
                                title: `trace message ${message.messageId}`,
                              },
                              shortId(message.messageId),
                            )
                          : '—',
                      ),
                      h('td', {}, message.messageType ?? '—'),
                      h('td', {}, message.consumerGroup ?? '—'),
                      h('td', { class: 'num' }, message.attempts ?? '—'),
                      h('td', {}, time(message.receivedAt)),
                      h('td', { class: 'num' }, message.replayCount),
                      h(
                        'td',
                        {},
                        h(
                          'details',
                          {},
                          h('summary', {}, 'payload'),
                          h('h3', {}, 'Value'),
                          pretty(message.value),
                          h('h3', {}, 'Headers'),
                          json(message.headers),
                          h('h3', {}, 'Error'),
                          h('pre', { class: 'json' }, message.error ?? ''),
                        ),
                        pending &&
                          h(
                            'button',
                            {
                              type: 'button',
                              class: 'secondary',
                              onclick: () =>
                                void run('Replayed', () =>
                                  api(`/ops/dlq/${message.id}/replay`, { method: 'POST' }),
                                ),
                            },
                            'Replay',
                          ),
                        pending &&
                          h(
                            'button',
                            {
                              type: 'button',
                              class: 'danger',
                              onclick: async () => {
                                if (
                                  await confirmDialog({
                                    title: 'Discard this message?',
                                    body: 'It will not be replayed; the record stays as discarded.',
                                    confirm: 'Discard',
                                  })
                                )
                                  await run('Discarded', () =>
                                    api(`/ops/dlq/${message.id}/discard`, { method: 'POST' }),
                                  );
                              },
                            },
                            'Discard',
                          ),
                      ),
                    ),
                  ),
                ),
              ),
            ),
          );
        }),
      );
    } catch (error) {
      replace(
        results,
        failure(error, () => void load()),
      );
    }
  };
  void load();
}
