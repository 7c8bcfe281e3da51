import './styles.css';
import { currentSession, logOut, onUnauthorized } from './api';
import { h, replace } from './dom';
import { renderConsumers } from './pages/consumers.page';
import { renderDlq } from './pages/dlq.page';
import { renderLogin } from './pages/login.page';
import { renderOverview } from './pages/overview.page';
import { renderSagaDetail } from './pages/saga-detail.page';
import { renderSagas } from './pages/sagas.page';
import { renderProjections } from './pages/projections.page';
import { renderTopics } from './pages/topics.page';
import { renderTrace } from './pages/trace.page';

/** A page draws into `main` and returns what to stop (streams, timers) when the operator leaves it. */
export type Page = (main: HTMLElement, params: URLSearchParams, id?: string) => (() => void) | void;

const pages: { path: string; label: string; page: Page }[] = [
  { path: 'overview', label: 'Overview', page: renderOverview },
  { path: 'sagas', label: 'Sagas', page: renderSagas },
  { path: 'dlq', label: 'Dead letters', page: renderDlq },
  { path: 'consumers', label: 'Consumers', page: renderConsumers },
  { path: 'topics', label: 'Topics', page: renderTopics },
  { path: 'projections', label: 'Projections', page: renderProjections },
  { path: 'trace', label: 'Trace', page: renderTrace },
];

const app = document.getElementById('app') as HTMLElement;
let leave: (() => void) | void;

function route(): { path: string; id?: string; params: URLSearchParams } {
  const [path, query = ''] = location.hash.replace(/^#\/?/, '').split('?');
  const [section, id] = path.split('/');
  return {
    path: section || 'overview',
    id: id ? decodeURIComponent(id) : undefined,
    params: new URLSearchParams(query),
  };
}

function render(): void {
  if (typeof leave === 'function') leave();
  leave = undefined;
  const session = currentSession();
  if (!session) {
    replace(app, h('main', { id: 'main', class: 'login-main' }));
    renderLogin(app.querySelector('main') as HTMLElement, render);
    return;
  }
  const { path, id, params } = route();
  const main = h('main', { id: 'main', tabindex: -1 });
  const nav = h(
    'nav',
    { 'aria-label': 'Sections' },
    h(
      'ul',
      {},
      pages.map((page) =>
        h(
          'li',
          {},
          h('a', { href: `#/${page.path}`, 'aria-current': page.path === path ? 'page' : false }, page.label),
        ),
      ),
    ),
  );
  const header = h(
    'header',
    { class: 'top' },
    h('a', { class: 'brand', href: '#/overview' }, 'TradeCore ops'),
    nav,
    h(
      'div',
      { class: 'who' },
      h('span', {}, `${session.email ?? 'signed in'} · ${session.role ?? 'no role'}`),
      h(
        'button',
        {
          type: 'button',
          class: 'secondary',
          onclick: () => {
            logOut();
            render();
          },
        },
        'Log out',
      ),
    ),
  );
  replace(
    app,
    header,
    main,
    h('div', { id: 'toasts', class: 'toasts', role: 'status', 'aria-live': 'polite' }),
  );
  if (session.role !== 'admin') {
    replace(
      main,
      h(
        'div',
        { class: 'state error', role: 'alert' },
        h('h1', {}, 'Admins only'),
        h(
          'p',
          {},
          `You are signed in as ${session.email ?? 'a user'} with the role “${session.role ?? 'unknown'}”. ` +
            'The ops dashboard and every /ops endpoint need the admin role (they answer 403 Forbidden). ' +
            'Log out and sign in with an admin account.',
        ),
      ),
    );
    return;
  }
  const target = path === 'sagas' && id ? renderSagaDetail : pages.find((page) => page.path === path)?.page;
  if (!target) {
    replace(main, h('p', { class: 'state error', role: 'alert' }, `There is no page “${path}”.`));
    return;
  }
  leave = target(main, params, id);
  document.title = `${pages.find((page) => page.path === path)?.label ?? 'Ops'} · TradeCore ops`;
}

onUnauthorized.addEventListener('unauthorized', render);
window.addEventListener('hashchange', () => {
  render();
  document.getElementById('main')?.focus({ preventScroll: true });
});
render();
