import type { DeadlineOutcome, SagaDetail } from '../api';
import { duration, h, time } from '../dom';

const outcome = (then: DeadlineOutcome | null) =>
  then === 'fail' ? 'stop FAILED for an operator' : then === 'compensate' ? 'compensate' : '—';

/** The saga's deadlines as its definition declares them, with the one being timed now. */
export function deadlinesSection(saga: SagaDetail): HTMLElement[] {
  const { deadlines, waitingFor } = saga;
  const current = waitingFor?.step.replace(/\.(children|compensate)$/, '');
  return [
    h('h2', {}, 'Deadlines'),
    h(
      'p',
      { class: 'hint' },
      `The whole saga: ${duration(deadlines.saga.afterMs)}, then ${outcome(deadlines.saga.then)}`,
      saga.expiresAt ? [' — due ', time(saga.expiresAt)] : '',
      waitingFor ? ['. Now timing ', h('strong', {}, waitingFor.step), ', due ', time(waitingFor.dueAt)] : '',
      '.',
    ),
    h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { class: 'deadlines', 'aria-label': 'Deadlines by step' },
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            ['Step', 'Reply within', 'Sends', 'Then', 'Children within', 'Runs', 'Then'].map((c) =>
              h('th', { scope: 'col' }, c),
            ),
          ),
        ),
        h(
          'tbody',
          {},
          deadlines.steps.map((step) =>
            h(
              'tr',
              { class: step.step === current ? 'current' : '' },
              h('th', { scope: 'row' }, step.step),
              h('td', { class: 'num' }, step.sends ? duration(step.timeoutMs) : '—'),
              h(
                'td',
                { class: 'num' },
                step.sends
                  ? `${step.attempts}${step.backoffFactor !== 1 ? ` (×${step.backoffFactor})` : ''}`
                  : '—',
              ),
              h('td', {}, outcome(step.onTimeout)),
              h('td', { class: 'num' }, step.children ? duration(step.children.timeoutMs) : '—'),
              h('td', { class: 'num' }, step.children ? step.children.attempts : '—'),
              h('td', {}, outcome(step.children?.then ?? null)),
            ),
          ),
        ),
      ),
    ),
  ];
}
