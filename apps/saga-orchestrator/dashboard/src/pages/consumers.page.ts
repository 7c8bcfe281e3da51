import { api, type ConsumerGroup } from '../api';
import { clock, empty, failure, h, loading, replace } from '../dom';
import { openResetOffsets } from './reset-offsets.dialog';

export function renderConsumers(main: HTMLElement): () => void {
  const results = h('div', {}, loading('consumer groups'));
  const stamp = h('span', { class: 'hint', role: 'status' });
  replace(
    main,
    h('div', { class: 'page-head' }, h('h1', {}, 'Consumers'), stamp),
    h(
      'p',
      { class: 'hint' },
      'Lag is the number of messages between a group’s last committed offset and the end of the partition. Refreshes every 5 s.',
    ),
    results,
  );
  const load = async () => {
    try {
      const { groups } = await api<{ groups: ConsumerGroup[] }>('/ops/consumer-lag');
      stamp.textContent = `updated ${clock(Date.now())}`;
      if (groups.length === 0)
        return replace(
          results,
          empty(
            'No consumer group has committed anything yet.',
            'Groups appear once the services have started and consumed a message.',
          ),
        );
      groups.sort((a, b) => b.totalLag - a.totalLag || a.groupId.localeCompare(b.groupId));
      replace(
        results,
        h(
          'div',
          { class: 'table-wrap' },
          h(
            'table',
            { class: 'consumers' },
            h(
              'thead',
              {},
              h(
                'tr',
                {},
                ['Group', 'Topic', 'Partition', 'Last commit (offset)', 'End (high watermark)', 'Lag'].map(
                  (c) => h('th', { scope: 'col' }, c),
                ),
              ),
            ),
            groups.map((group) =>
              h(
                'tbody',
                {},
                h(
                  'tr',
                  { class: 'group-row' },
                  h(
                    'th',
                    { scope: 'rowgroup', colspan: 5 },
                    group.groupId,
                    ' ',
                    h(
                      'button',
                      {
                        type: 'button',
                        class: 'secondary small',
                        onclick: () =>
                          openResetOffsets(group.groupId, [...new Set(group.partitions.map((p) => p.topic))]),
                      },
                      'Reset offsets…',
                    ),
                  ),
                  h('td', { class: `num ${group.totalLag > 0 ? 'warn' : ''}` }, group.totalLag),
                ),
                group.partitions.map((p) =>
                  h(
                    'tr',
                    {},
                    h('td', {}),
                    h('td', { class: 'mono' }, p.topic),
                    h('td', { class: 'num' }, p.partition),
                    h('td', { class: 'num' }, Number(p.committedOffset) < 0 ? 'none yet' : p.committedOffset),
                    h('td', { class: 'num' }, p.highWatermark),
                    h('td', { class: `num ${p.lag > 0 ? 'warn' : ''}` }, p.lag),
                  ),
                ),
              ),
            ),
          ),
        ),
      );
    } catch (error) {
      replace(
        results,
        failure(error, () => void load()),
      );
    }
  };
  void load();
  const timer = setInterval(() => void load(), 5000);
  return () => clearInterval(timer);
}
