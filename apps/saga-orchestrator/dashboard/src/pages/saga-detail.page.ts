import { api, ApiError, type SagaDetail, sagaStream, type TimelineEntry } from '../api';
import { deadlinesSection } from './saga-deadlines';
import {
  badge,
  confirmDialog,
  duration,
  failure,
  h,
  json,
  loading,
  replace,
  shortId,
  time,
  toast,
} from '../dom';

interface Bar {
  step: string;
  phase: string;
  attempt: number;
  start: number;
  end: number;
  outcome: string;
  open: boolean;
  entries: TimelineEntry[];
}

/** Pairs each send with what ended it (reply, timeout, operator); a send with no end yet is still open. */
function barsOf(timeline: TimelineEntry[], now: number): Bar[] {
  const bars: Bar[] = [];
  const open = new Map<string, Bar>();
  for (const entry of timeline) {
    const key = `${entry.phase}|${entry.step}|${entry.attempt}`;
    const at = new Date(entry.at).getTime();
    if (entry.event === 'sent') {
      const bar: Bar = {
        step: entry.step,
        phase: entry.phase,
        attempt: entry.attempt,
        start: at,
        end: now,
        outcome: 'waiting',
        open: true,
        entries: [entry],
      };
      bars.push(bar);
      open.set(key, bar);
      continue;
    }
    const bar = open.get(key);
    if (bar) {
      bar.end = at;
      bar.outcome = entry.event;
      bar.open = false;
      bar.entries.push(entry);
      open.delete(key);
    } else {
      bars.push({
        step: entry.step,
        phase: entry.phase,
        attempt: entry.attempt,
        start: at,
        end: at,
        outcome: entry.event,
        open: false,
        entries: [entry],
      });
    }
  }
  return bars;
}

function timelineChart(saga: SagaDetail): HTMLElement {
  const now = saga.finishedAt ? new Date(saga.finishedAt).getTime() : Date.now();
  const bars = barsOf(saga.timeline, now);
  if (bars.length === 0)
    return h(
      'p',
      { class: 'state empty' },
      'No step has been sent yet (the saga may be queued behind another on the same aggregate).',
    );
  const t0 = new Date(saga.createdAt).getTime();
  const span = Math.max(1, ...bars.map((bar) => bar.end - t0));
  return h(
    'ol',
    { class: 'gantt', 'aria-label': 'Step timeline' },
    bars.map((bar) => {
      const fill = h('span', { class: `bar bar-${bar.outcome} phase-${bar.phase}` });
      fill.style.marginLeft = `${((bar.start - t0) / span) * 100}%`;
      fill.style.width = `max(3px, ${((bar.end - bar.start) / span) * 100}%)`;
      const details = h(
        'details',
        {},
        h('summary', {}, 'payloads and replies'),
        bar.entries.map((entry) =>
          h(
            'div',
            { class: 'entry' },
            h(
              'p',
              {},
              time(entry.at),
              ` ${entry.event}`,
              entry.commandType && ` · ${entry.commandType}`,
              entry.commandMessageId &&
                h(
                  'a',
                  {
                    href: `#/trace?messageId=${encodeURIComponent(entry.commandMessageId)}`,
                    class: 'mono',
                    title: entry.commandMessageId,
                  },
                  ` ${shortId(entry.commandMessageId)}`,
                ),
            ),
            entry.detail !== null && entry.detail !== undefined && json(entry.detail),
          ),
        ),
      );
      return h(
        'li',
        { class: `row phase-${bar.phase}` },
        h(
          'div',
          { class: 'label' },
          h('strong', {}, bar.phase === 'compensating' ? `↺ ${bar.step}` : bar.step),
          h('span', { class: 'hint' }, ` attempt ${bar.attempt}`),
        ),
        h('div', { class: 'track' }, fill),
        h(
          'div',
          { class: 'meta' },
          badge(bar.outcome),
          ` ${bar.open ? `${duration(bar.end - bar.start)} so far` : duration(bar.end - bar.start)}`,
        ),
        h('div', { class: 'more' }, details),
      );
    }),
  );
}

async function act(saga: SagaDetail, action: 'retry' | 'compensate' | 'abort', reload: () => void) {
  const words = {
    retry: {
      title: 'Retry the waiting step?',
      body: 'Re-sends the step awaiting a reply with a fresh attempt budget.',
      confirm: 'Retry step',
    },
    compensate: {
      title: 'Compensate this saga?',
      body: 'Stops the saga and undoes the step in flight and every completed step, in reverse order.',
      confirm: 'Compensate',
    },
    abort: {
      title: 'Abort this saga?',
      body: 'Stops the saga where it is. Nothing more is sent, nothing is undone — you may have to clean up by hand.',
      confirm: 'Abort',
    },
  }[action];
  const answer = await confirmDialog({ ...words, withReason: action !== 'retry' });
  if (!answer) return;
  try {
    await api(`/ops/sagas/${saga.id}/${action}`, {
      method: 'POST',
      body: action === 'retry' ? undefined : { reason: answer.reason },
    });
    toast(`${words.confirm}: done`);
  } catch (error) {
    toast(
      error instanceof ApiError ? `${error.code ?? error.status}: ${error.message}` : String(error),
      'error',
    );
  }
  reload();
}

export function renderSagaDetail(main: HTMLElement, _params: URLSearchParams, id?: string): () => void {
  replace(main, loading('the saga'));
  const load = async () => {
    try {
      const saga = await api<SagaDetail>(`/ops/sagas/${encodeURIComponent(id ?? '')}`);
      const finished = ['COMPLETED', 'COMPENSATED', 'ABORTED'].includes(saga.status);
      const button = (
        action: 'retry' | 'compensate' | 'abort',
        label: string,
        enabled: boolean,
        why: string,
      ) =>
        h(
          'button',
          {
            type: 'button',
            class: action === 'retry' ? 'secondary' : 'danger',
            disabled: !enabled,
            title: enabled ? false : why,
            onclick: () => void act(saga, action, load),
          },
          label,
        );
      replace(
        main,
        h('p', {}, h('a', { href: '#/sagas' }, '← all sagas')),
        h(
          'div',
          { class: 'page-head' },
          h('h1', {}, `${saga.type} `, badge(saga.status)),
          h('span', { class: 'mono hint' }, saga.id),
        ),
        h(
          'div',
          { class: 'actions', role: 'group', 'aria-label': 'Operator actions' },
          button('retry', 'Retry step', !finished, 'The saga has finished'),
          button(
            'compensate',
            'Compensate',
            saga.status === 'RUNNING' || saga.stoppedGoingForward,
            'Only a RUNNING saga, or one FAILED going forward, can be compensated',
          ),
          button('abort', 'Abort', !finished, 'The saga has finished'),
          h(
            'a',
            { class: 'button-link', href: `#/trace?correlationId=${encodeURIComponent(saga.correlationId)}` },
            'Trace its messages →',
          ),
        ),
        h(
          'dl',
          { class: 'facts' },
          h('dt', {}, 'Aggregate'),
          h('dd', { class: 'mono' }, saga.aggregateId),
          h('dt', {}, 'Current step'),
          h('dd', {}, saga.currentStep ?? '—'),
          h('dt', {}, 'Started'),
          h('dd', {}, time(saga.createdAt)),
          h('dt', {}, 'Finished'),
          h('dd', {}, time(saga.finishedAt)),
          h('dt', {}, 'Duration'),
          h(
            'dd',
            {},
            duration(
              (saga.finishedAt ? new Date(saga.finishedAt).getTime() : Date.now()) -
                new Date(saga.createdAt).getTime(),
            ),
          ),
          h('dt', {}, 'Retries'),
          h('dd', {}, saga.retries),
          h('dt', {}, 'Correlation'),
          h('dd', { class: 'mono' }, saga.correlationId),
          saga.failure && h('dt', {}, 'Failure'),
          saga.failure &&
            h(
              'dd',
              { class: 'failure' },
              `${saga.failure.step ?? ''} ${saga.failure.code ?? ''}: ${saga.failure.message ?? ''}`,
            ),
        ),
        h('h2', {}, 'Step timeline'),
        h(
          'p',
          { class: 'hint' },
          'Bars run from each command to its reply or timeout; ↺ marks compensation steps.',
        ),
        timelineChart(saga),
        ...deadlinesSection(saga),
        saga.children.length > 0 && h('h2', {}, 'Child sagas'),
        saga.children.length > 0 &&
          h(
            'ul',
            {},
            saga.children.map((child) =>
              h(
                'li',
                {},
                h(
                  'a',
                  { href: `#/sagas/${child.id}`, title: child.id },
                  `${child.type} ${shortId(child.id)}`,
                ),
                ' ',
                badge(child.status),
              ),
            ),
          ),
        h('h2', {}, 'Context'),
        json(saga.context),
      );
    } catch (error) {
      replace(main, h('p', {}, h('a', { href: '#/sagas' }, '← all sagas')), failure(error, load));
    }
  };
  void load();
  return sagaStream(
    (sagas) => {
      if (sagas.some((saga) => saga.id === id)) void load();
    },
    () => undefined,
  );
}
