import { api, PROJECTION_SERVICES, type ProjectionStatus, type RebuildRun } from '../api';
import { badge, confirmDialog, duration, failure, h, loading, replace, time, toast } from '../dom';

const REFRESH_MS = 2000;

function progress(run: RebuildRun | null | undefined): HTMLElement | string {
  if (!run) return 'never rebuilt';
  const share =
    run.eventsTotal > 0 ? Math.min(100, Math.round((run.eventsDone / run.eventsTotal) * 100)) : 100;
  const rate = run.eventsPerSecond === null ? '' : `, ${run.eventsPerSecond.toLocaleString()} events/s`;
  const eta = run.etaSeconds && run.phase === 'replaying' ? `, ETA ${duration(run.etaSeconds * 1000)}` : '';
  return h(
    'span',
    {},
    badge(run.phase),
    ` ${run.eventsDone.toLocaleString()} / ${run.eventsTotal.toLocaleString()} events (${share} %)${rate}${eta}, started `,
    time(run.startedAt),
    run.error ? h('span', { class: 'warn' }, ` — ${run.error}`) : '',
  );
}

function drift(projection: ProjectionStatus): HTMLElement | string {
  if (projection.source === 'kafka') return `follows ${projection.topic} (group ${projection.consumerGroup})`;
  if (projection.driftCheckFailed)
    return h('span', { class: 'warn' }, `check failed: ${projection.driftCheckFailed}`);
  const report = projection.drift;
  if (!report) return 'not checked yet';
  const state = report.drifted
    ? h(
        'span',
        { class: 'warn' },
        `DRIFT: ${report.rowsOffVersion} rows off version, ${report.rowsDiffering} differing`,
      )
    : 'in step with the store';
  return h(
    'span',
    {},
    state,
    ` (${report.sampledStreams} streams sampled, `,
    time(report.checkedAt),
    ')',
    report.differingStreams.length ? h('div', { class: 'mono' }, report.differingStreams.join(', ')) : '',
  );
}

/** Read models of every service: drift found by each service's integrity monitor, rebuilds and their progress. */
export function renderProjections(main: HTMLElement): () => void {
  const body = h('div', { 'aria-live': 'polite' }, loading('projections'));
  replace(
    main,
    h('div', { class: 'page-head' }, h('h1', {}, 'Projections')),
    h(
      'p',
      { class: 'hint' },
      'A rebuild replays the service’s event store into fresh tables while the live ones serve, then swaps them in; a failed one changes nothing. Read models that follow another service’s topic are rebuilt by rewinding their consumer group.',
    ),
    body,
  );

  const act = async (service: string, projection: string, action: 'rebuild' | 'drift-check') => {
    if (action === 'rebuild') {
      const confirmed = await confirmDialog({
        title: `Rebuild ${service} / ${projection}?`,
        body: 'Writes to its tables pause for the final catch-up and the swap; reads go on.',
        confirm: 'Rebuild',
      });
      if (!confirmed) return;
    }
    try {
      await api(`/ops/projections/${service}/${projection}/${action}`, { method: 'POST' });
      toast(action === 'rebuild' ? `Rebuild of ${projection} started` : `${projection} checked`);
      void refresh();
    } catch (error) {
      toast(error instanceof Error ? error.message : String(error), 'error');
    }
  };

  const section = (service: string, projections: ProjectionStatus[] | Error) =>
    h(
      'section',
      {},
      h('h2', {}, service),
      projections instanceof Error
        ? failure(projections)
        : h(
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
                  ['Projection', 'Tables', 'Integrity', 'Last rebuild', ''].map((c) =>
                    h('th', { scope: 'col' }, c),
                  ),
                ),
              ),
              h(
                'tbody',
                {},
                projections.map((p) =>
                  h(
                    'tr',
                    {},
                    h('td', { class: 'mono' }, p.name),
                    h('td', { class: 'mono' }, p.tables.join(', ')),
                    h('td', {}, drift(p)),
                    h('td', {}, p.source === 'kafka' ? '—' : progress(p.lastRebuild)),
                    h(
                      'td',
                      {},
                      p.source === 'event-store' && [
                        h(
                          'button',
                          { type: 'button', onclick: () => void act(service, p.name, 'drift-check') },
                          'Check now',
                        ),
                        h(
                          'button',
                          { type: 'button', onclick: () => void act(service, p.name, 'rebuild') },
                          'Rebuild',
                        ),
                      ],
                    ),
                  ),
                ),
              ),
            ),
          ),
    );

  const refresh = async () => {
    const answers = await Promise.all(
      PROJECTION_SERVICES.map((service) =>
        api<{ projections: ProjectionStatus[] }>(`/ops/projections/${service}`).then(
          (answer) => answer.projections,
          (error: Error) => error,
        ),
      ),
    );
    replace(
      body,
      PROJECTION_SERVICES.map((service, index) => section(service, answers[index])),
    );
  };
  void refresh();
  const timer = setInterval(() => void refresh(), REFRESH_MS);
  return () => clearInterval(timer);
}
