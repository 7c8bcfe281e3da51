import { ApiError, logIn } from '../api';
import { h, replace } from '../dom';

export function renderLogin(main: HTMLElement, done: () => void): void {
  const error = h('p', { class: 'form-error', role: 'alert', id: 'login-error' });
  const email = h('input', {
    id: 'email',
    name: 'email',
    type: 'email',
    autocomplete: 'username',
    required: true,
  });
  const password = h('input', {
    id: 'password',
    name: 'password',
    type: 'password',
    autocomplete: 'current-password',
    required: true,
  });
  const submit = h('button', { type: 'submit' }, 'Log in');
  const form = h(
    'form',
    { class: 'login', 'aria-describedby': 'login-error' },
    h('h1', {}, 'TradeCore ops'),
    h(
      'p',
      { class: 'hint' },
      'Sign in with an admin account (the one seeded from ADMIN_EMAIL / ADMIN_PASSWORD).',
    ),
    h('label', { for: 'email' }, 'Email'),
    email,
    h('label', { for: 'password' }, 'Password'),
    password,
    submit,
    error,
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    submit.disabled = true;
    submit.textContent = 'Logging in…';
    error.textContent = '';
    try {
      await logIn(email.value, password.value);
      done();
    } catch (caught) {
      error.textContent =
        caught instanceof ApiError && caught.status === 401
          ? 'Wrong email or password.'
          : caught instanceof ApiError && caught.status === 0
            ? caught.message
            : `Could not log in: ${(caught as Error).message}`;
      submit.disabled = false;
      submit.textContent = 'Log in';
    }
  });
  replace(main, form);
  email.focus();
}
