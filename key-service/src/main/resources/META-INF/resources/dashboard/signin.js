// ---------- the sign-in screen ----------
import { state } from './state.js';
import { errorText, h } from './dom.js';
import { api } from './api.js';
import { startProviderSignIn, useToken } from './session.js';
import { setMain } from './views.js';

export function renderSignIn() {
  const orgInput = h('input', { type: 'text', id: 'org', name: 'org', value: 'org_demo', autocomplete: 'organization', required: true });
  const roleSelect = h('select', { id: 'role', name: 'role' },
    h('option', { value: 'admin' }, 'Admin (manage keys)'), h('option', { value: 'member' }, 'Member (read only)'));
  const devError = h('p', { class: 'error', role: 'alert', hidden: true });
  const devForm = h('form', { class: 'card', id: 'dev-sign-in', onsubmit: async (e) => {
    e.preventDefault();
    devError.hidden = true;
    try {
      const answer = await api('POST', '/dashboard/dev-sign-in', { org_id: orgInput.value.trim(), group: roleSelect.value });
      useToken(answer.data.token);
      location.hash = '#/keys';
    } catch (err) {
      devError.textContent = errorText(err);
      devError.hidden = false;
    }
  } },
  h('h2', {}, 'Development sign-in'),
  h('p', { class: 'warning' }, 'Development only: this local stack signs you in with its own development key. '
    + 'Production builds turn this off; there you sign in through your identity provider.'),
  h('label', { for: 'org' }, 'Organisation id'), orgInput,
  h('label', { for: 'role' }, 'Role'), roleSelect,
  devError,
  h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, 'Sign in')));

  const provider = state.config.sign_in;
  const providerCard = provider ? h('div', { class: 'card', id: 'provider' },
    h('h2', {}, `Sign in with ${provider.name}`),
    h('p', { class: 'muted' }, `${provider.name} signs you in and sends you back here.`),
    h('div', { class: 'actions' }, h('button', { type: 'button', class: 'primary', id: 'provider-sign-in', onclick: startProviderSignIn },
      `Sign in with ${provider.name}`))) : null;

  const tokenArea = h('textarea', { id: 'token', rows: 3, spellcheck: 'false', autocomplete: 'off' });
  const pasteError = h('p', { class: 'error', role: 'alert', hidden: true });
  const pasteForm = h('form', { class: 'card', onsubmit: (e) => {
    e.preventDefault();
    try {
      useToken(tokenArea.value.trim());
      location.hash = '#/keys';
    } catch (err) {
      pasteError.textContent = err.message;
      pasteError.hidden = false;
    }
  } },
  h('h2', {}, 'Sign in with a dashboard token'),
  h('p', { class: 'muted' }, 'Paste a dashboard token (a JWT with your org_id) that your identity provider issued to you.'),
  h('label', { for: 'token' }, 'Dashboard token'), tokenArea, pasteError,
  h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Use this token')));

  setMain('Sign in', providerCard, state.config.dev_sign_in ? devForm : h('p', { class: 'muted', id: 'dev-off' },
    'Development sign-in is off in this build.'), pasteForm);
}
