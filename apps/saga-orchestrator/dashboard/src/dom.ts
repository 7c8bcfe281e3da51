type Child = Node | string | number | null | undefined | false;
type Attrs = Record<string, string | number | boolean | null | undefined | EventListener>;

/** Builds an element: `on*` attributes become listeners, `false`/`null` attributes are left out. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: (Child | Child[])[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') element.addEventListener(name.slice(2), value);
    else if (name === 'class') element.className = String(value);
    else element.setAttribute(name, value === true ? '' : String(value));
  }
  append(element, children);
  return element;
}

export function append(parent: Node, children: (Child | Child[])[]): void {
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(typeof child === 'object' ? child : document.createTextNode(String(child)));
  }
}

export function replace(parent: Element, ...children: (Child | Child[])[]): void {
  parent.replaceChildren();
  append(parent, children);
}

const localFormat = new Intl.DateTimeFormat(undefined, {
  year: 'numeric',
  month: 'short',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

/** A time in the viewer's zone; the UTC instant on hover and in `datetime`. */
export function time(value: string | Date | null | undefined): HTMLElement | string {
  if (!value) return '—';
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return String(value);
  const millis = String(date.getMilliseconds()).padStart(3, '0');
  return h(
    'time',
    { datetime: date.toISOString(), title: `${date.toISOString()} (UTC)` },
    `${localFormat.format(date)}.${millis}`,
  );
}

/**
 * The part of an id that tells rows apart. Ids are UUIDv7: their first characters are a timestamp, so rows
 * created in the same second share them; the last 12 are random. The whole id is in the title.
 */
export function shortId(id: string): string {
  const hex = id.replace(/-/g, '');
  return hex.length > 12 ? `…${hex.slice(-12)}` : id;
}

const clockFormat = new Intl.DateTimeFormat(undefined, {
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

/** A time of day in the viewer's zone, 24-hour, for chart ticks and "updated at" stamps. */
export function clock(value: string | number | Date, withSeconds = true): string {
  const text = clockFormat.format(new Date(value));
  return withSeconds ? text : text.slice(0, 5);
}

export function duration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
  const minutes = Math.floor(ms / 60_000);
  return minutes < 60
    ? `${minutes} min ${Math.round((ms % 60_000) / 1000)} s`
    : `${(minutes / 60).toFixed(1)} h`;
}

export function age(from: string | Date): string {
  return duration(Date.now() - new Date(from).getTime());
}

export function loading(what: string): HTMLElement {
  return h('p', { class: 'state loading', role: 'status' }, `Loading ${what}…`);
}

export function empty(message: string, hint?: string): HTMLElement {
  return h(
    'div',
    { class: 'state empty', role: 'status' },
    h('p', {}, message),
    hint && h('p', { class: 'hint' }, hint),
  );
}

export function failure(error: unknown, retry?: () => void): HTMLElement {
  const message = error instanceof Error ? error.message : String(error);
  return h(
    'div',
    { class: 'state error', role: 'alert' },
    h('p', {}, message),
    retry && h('button', { type: 'button', onclick: () => retry() }, 'Try again'),
  );
}

export function badge(status: string): HTMLElement {
  return h('span', { class: `badge badge-${status.toLowerCase()}` }, status);
}

export function json(value: unknown): HTMLElement {
  return h('pre', { class: 'json', tabindex: 0 }, JSON.stringify(value, null, 2));
}

/** A modal confirmation built on <dialog>: focus is trapped and Escape cancels. */
export function confirmDialog(options: {
  title: string;
  body: string;
  confirm: string;
  withReason?: boolean;
}): Promise<{ reason: string } | null> {
  return new Promise((resolve) => {
    const reason = h('textarea', {
      id: 'confirm-reason',
      rows: 2,
      required: true,
      placeholder: 'Why? (kept in the saga log)',
    });
    const dialog = h(
      'dialog',
      { class: 'confirm', 'aria-labelledby': 'confirm-title' },
      h(
        'form',
        { method: 'dialog' },
        h('h2', { id: 'confirm-title' }, options.title),
        h('p', {}, options.body),
        options.withReason && h('label', { for: 'confirm-reason' }, 'Reason'),
        options.withReason && reason,
        h(
          'div',
          { class: 'actions' },
          h(
            'button',
            { type: 'submit', value: 'cancel', class: 'secondary', formnovalidate: true },
            'Cancel',
          ),
          h('button', { type: 'submit', value: 'ok', class: 'danger' }, options.confirm),
        ),
      ),
    );
    dialog.addEventListener('close', () => {
      const ok = dialog.returnValue === 'ok';
      dialog.remove();
      resolve(ok ? { reason: reason.value.trim() || 'operator action from the dashboard' } : null);
    });
    document.body.appendChild(dialog);
    dialog.showModal();
  });
}

export function toast(message: string, kind: 'ok' | 'error' = 'ok'): void {
  const region = document.getElementById('toasts');
  if (!region) return;
  const item = h('p', { class: `toast toast-${kind}` }, message);
  region.appendChild(item);
  setTimeout(() => item.remove(), 6000);
}
