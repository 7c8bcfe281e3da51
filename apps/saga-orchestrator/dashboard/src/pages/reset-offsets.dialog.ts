import { api, ApiError } from '../api';
import { h, replace, toast } from '../dom';

interface Move {
  partition: number;
  from: string | null;
  to: string;
}

/**
 * Rewinds or skips a stopped consumer group: the operator picks where, sees each partition's
 * move from a dry run, then confirms (POST /ops/consumer-groups/:group/reset-offsets).
 */
export function openResetOffsets(groupId: string, topics: readonly string[]): void {
  const topic = h(
    'select',
    { id: 'reset-topic' },
    topics.map((t) => h('option', { value: t }, t)),
  );
  const to = h(
    'select',
    { id: 'reset-to' },
    [
      ['earliest', 'Earliest (read everything again)'],
      ['latest', 'Latest (skip what is unread)'],
      ['timestamp', 'A time'],
    ].map(([value, label]) => h('option', { value }, label)),
  );
  const timestamp = h('input', {
    id: 'reset-time',
    placeholder: '2026-12-07T06:00:00Z',
    autocomplete: 'off',
  });
  const plan = h('div', { 'aria-live': 'polite' });
  const apply = h('button', { type: 'button', class: 'danger', disabled: true }, 'Reset offsets');
  const dialog = h(
    'dialog',
    { class: 'confirm', 'aria-labelledby': 'reset-title' },
    h('h2', { id: 'reset-title' }, `Reset ${groupId}`),
    h('p', {}, 'Kafka accepts this only while no consumer of the group runs: stop its service first.'),
    h('label', { for: 'reset-topic' }, 'Topic'),
    topic,
    h('label', { for: 'reset-to' }, 'Move to'),
    to,
    h('label', { for: 'reset-time' }, 'Time (for “A time”)'),
    timestamp,
    plan,
    h(
      'div',
      { class: 'actions' },
      h('button', { type: 'button', class: 'secondary', onclick: () => dialog.close() }, 'Cancel'),
      h('button', { type: 'button', onclick: () => void run(true) }, 'Dry run'),
      apply,
    ),
  );
  const body = (dryRun: boolean) => ({
    topic: topic.value,
    to: to.value,
    ...(to.value === 'timestamp' && { timestamp: timestamp.value.trim() }),
    dryRun,
  });
  const run = async (dryRun: boolean) => {
    try {
      const result = await api<{ partitions: Move[] }>(
        `/ops/consumer-groups/${encodeURIComponent(groupId)}/reset-offsets`,
        { method: 'POST', body: body(dryRun) },
      );
      replace(
        plan,
        h(
          'table',
          { class: 'reset-plan' },
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              ['Partition', 'From', 'To'].map((c) => h('th', { scope: 'col' }, c)),
            ),
          ),
          h(
            'tbody',
            {},
            result.partitions.map((m) =>
              h(
                'tr',
                {},
                h('td', { class: 'num' }, m.partition),
                h('td', { class: 'num' }, m.from ?? 'none'),
                h('td', { class: 'num' }, m.to),
              ),
            ),
          ),
        ),
      );
      apply.disabled = !dryRun;
      if (!dryRun) {
        toast(`Offsets of ${groupId} on ${topic.value} reset`);
        dialog.close();
      }
    } catch (error) {
      apply.disabled = true;
      const message = error instanceof ApiError ? error.message : String(error);
      replace(plan, h('p', { class: 'state error', role: 'alert' }, message));
    }
  };
  apply.addEventListener('click', () => void run(false));
  for (const field of [topic, to, timestamp]) field.addEventListener('change', () => (apply.disabled = true));
  dialog.addEventListener('close', () => dialog.remove());
  document.body.appendChild(dialog);
  dialog.showModal();
}
