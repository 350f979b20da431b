// ---------- how to use a key ----------
import { keyOptions, state } from './state.js';
import { h } from './dom.js';
import { setMain } from './views.js';

export function usageHints(secret) {
  const brand = state.config.brand || 'pp';
  const key = secret || `${brand}_live_sk_…`;
  const base = location.origin;
  return h('div', { class: 'card', id: 'usage-hints' },
    h('h2', {}, 'Using your key'),
    h('p', {}, 'Send the key in the Authorization header (or x-api-key). Workspace-scoped calls also need X-Workspace-Id.'),
    h('pre', {}, h('code', { id: 'curl-line' }, `curl ${base}/api/v1/whoami -H "Authorization: Bearer ${key}"`)),
    h('p', {}, 'Secret scanners can find leaked Postgate keys with this pattern:'),
    h('pre', {}, h('code', { id: 'scan-regex' }, keyOptions().pattern)),
    h('p', { class: 'muted' }, 'Keys never expire unless you set an expiry. Revoke a key the moment it may have leaked: '
      + 'every Postgate service refuses it within a second.'));
}

export function renderUsage() {
  setMain('Using your keys', usageHints(null));
}
