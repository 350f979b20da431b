// Postgate developer dashboard: create, copy once, watch and revoke API keys.
// Plain JavaScript, no build step, nothing loaded from elsewhere. It calls only the public
// dashboard (JWT) paths of the API on the same origin; the token lives in sessionStorage.
// Sign-in through an identity provider is started here (OAuth 2 implicit grant, OpenID Connect
// style): the page accepts an #access_token= only as the answer to a sign-in it started itself.
'use strict';

const SCOPE_GROUPS = [
  ['account', ['account:read']],
  ['posts', ['posts:read', 'posts:write', 'posts:publish']],
  ['media', ['media:read', 'media:write']],
  ['content', ['content:read', 'content:generate']],
  ['images', ['images:read', 'images:generate']],
  ['videos', ['videos:read', 'videos:generate']],
  ['calendar', ['calendar:read', 'calendar:write']],
  ['analytics', ['analytics:read']],
];
const ALL_SCOPES = SCOPE_GROUPS.flatMap(([, scopes]) => scopes);
const SPENDING = new Set(['content:generate', 'images:generate', 'videos:generate', 'posts:publish']);
const PRESETS = {
  full: { label: 'Full access', scopes: ALL_SCOPES },
  draft: { label: 'Draft only', scopes: ALL_SCOPES.filter((s) => s !== 'posts:publish') },
  read_only: { label: 'Read only', scopes: ALL_SCOPES.filter((s) => s.endsWith(':read')) },
};
const OVERLAPS = [[0, 'Stop the old key now'], [3600, 'Keep the old key for 1 hour'],
  [86400, 'Keep the old key for 24 hours'], [604800, 'Keep the old key for 7 days']];

const state = { token: null, user: null, config: { dev_sign_in: false, brand: 'pp', sign_in: null }, workspaces: null };
const TOKEN_ITEM = 'postgate.token';
// The sign-in this tab started: its state and nonce, until the identity provider answers once.
const PENDING_SIGN_IN_ITEM = 'postgate.sign-in';

// ---------- small DOM helpers (text only: nothing from the API is ever parsed as HTML) ----------
function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith('on')) el.addEventListener(name.slice(2), value);
    else if (name === 'class') el.className = value;
    else if (value === true) el.setAttribute(name, '');
    else el.setAttribute(name, value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}
const $ = (sel) => document.querySelector(sel);
function fmtTime(iso) {
  if (!iso) return '—';
  const d = new Date(iso);
  return isNaN(d) ? iso : d.toLocaleString();
}
function toast(message) {
  const t = $('#toast');
  t.textContent = message;
  t.classList.add('show');
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => t.classList.remove('show'), 3000);
}

// ---------- API ----------
class ApiError extends Error {
  constructor(status, error) {
    super((error && error.message) || `Request failed (${status})`);
    this.status = status;
    this.code = error && error.code;
    this.fields = (error && error.fields) || [];
    this.requestId = null;
  }
}

async function api(method, path, body) {
  const headers = { Accept: 'application/json' };
  if (state.token) headers.Authorization = `Bearer ${state.token}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let response;
  try {
    response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch (e) {
    throw new ApiError(0, { message: 'The server cannot be reached. Check your connection and retry.' });
  }
  let envelope = null;
  try { envelope = await response.json(); } catch (e) { /* not JSON */ }
  if (!response.ok) {
    const err = new ApiError(response.status, envelope && envelope.error);
    err.requestId = envelope && envelope.meta && envelope.meta.request_id;
    if (response.status === 401 && state.token) {
      signOut('Your session has ended. Sign in again.');
    }
    throw err;
  }
  return envelope || { data: null, meta: {} };
}

async function listAll(path) {
  const items = [];
  let cursor = null;
  do {
    const sep = path.includes('?') ? '&' : '?';
    const page = await api('GET', `${path}${sep}limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    items.push(...page.data);
    cursor = page.meta.next_cursor;
  } while (cursor);
  return items;
}

// ---------- session ----------
function decodeToken(token) {
  try {
    const payload = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    return JSON.parse(atob(payload + '='.repeat((4 - (payload.length % 4)) % 4)));
  } catch (e) {
    return null;
  }
}

function useToken(token) {
  const claims = decodeToken(token);
  if (!claims || !claims.org_id) throw new Error('This is not a dashboard token (no org_id claim).');
  state.token = token;
  state.user = { org: claims.org_id, sub: claims.sub, admin: (claims.groups || []).includes('admin') };
  sessionStorage.setItem(TOKEN_ITEM, token);
  state.workspaces = null;
  notice(null);
}

function signOut(message) {
  state.token = null;
  state.user = null;
  sessionStorage.removeItem(TOKEN_ITEM);
  location.hash = '#/sign-in';
  if (message) toast(message);
  render();
}

const isAdmin = () => state.user && state.user.admin;

// A message about sign-in above every view (role=alert), until the next sign-in; null hides it.
function notice(message) {
  const box = $('#notice');
  box.textContent = message || '';
  box.hidden = !message;
}

function randomValue() {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

// The one address the identity provider may send users back to (register it there).
const redirectUri = () => `${location.origin}/dashboard`;

function startProviderSignIn() {
  const provider = state.config.sign_in;
  const pending = { state: randomValue(), nonce: randomValue() };
  const url = new URL(provider.url);
  url.searchParams.set('response_type', 'token');
  if (provider.client_id) url.searchParams.set('client_id', provider.client_id);
  url.searchParams.set('redirect_uri', redirectUri());
  if (provider.scope) url.searchParams.set('scope', provider.scope);
  url.searchParams.set('state', pending.state);
  url.searchParams.set('nonce', pending.nonce);
  sessionStorage.setItem(PENDING_SIGN_IN_ITEM, JSON.stringify(pending));
  location.assign(url.href);
}

// An identity provider's answer in the address (#access_token=…&state=… or #error=…&state=…), or null.
function providerAnswer() {
  if (!location.hash || location.hash.startsWith('#/')) return null;
  const params = new URLSearchParams(location.hash.slice(1));
  return params.has('access_token') || params.has('error') ? params : null;
}

// Takes the provider's answer only if it answers the sign-in this tab started (its state, used
// once, and the token's nonce claim when it has one): anything else is a link from elsewhere,
// which must not sign anyone in, nor replace the session of someone already signed in.
function takeProviderAnswer() {
  const answer = providerAnswer();
  if (!answer) return;
  // The token leaves the address bar and the history at once, whatever happens next.
  history.replaceState(null, '', `${location.pathname}${location.search}${state.token ? '#/keys' : '#/sign-in'}`);
  let pending = null;
  try { pending = JSON.parse(sessionStorage.getItem(PENDING_SIGN_IN_ITEM)); } catch (e) { /* none */ }
  sessionStorage.removeItem(PENDING_SIGN_IN_ITEM);
  const stillSignedIn = state.user ? ` You are still signed in to ${state.user.org}.` : '';
  if (!pending || !pending.state || answer.get('state') !== pending.state) {
    notice('This sign-in link was not started here, so it was ignored: nobody was signed in with it.'
      + (stillSignedIn || ' To sign in, use one of the ways below.'));
    return;
  }
  if (answer.has('error')) {
    notice(`Your identity provider did not sign you in: ${answer.get('error_description') || answer.get('error')}.${stillSignedIn}`);
    return;
  }
  const token = answer.get('access_token');
  const claims = decodeToken(token);
  if (claims && claims.nonce !== undefined && claims.nonce !== pending.nonce) {
    notice('This sign-in answer was issued for another sign-in (its nonce is not the one this page sent), so it was ignored.'
      + stillSignedIn);
    return;
  }
  try {
    useToken(token);
    history.replaceState(null, '', `${location.pathname}${location.search}#/keys`);
  } catch (err) {
    notice(`Your identity provider's answer cannot be used: ${err.message}${stillSignedIn}`);
  }
}

// ---------- views ----------
function setMain(title, ...content) {
  const main = $('#main');
  main.replaceChildren(h('h1', {}, title), ...content);
  document.title = `${title} — Postgate`;
  main.focus({ preventScroll: true });
  window.scrollTo(0, 0);
}

function errorBox(err) {
  const detail = err.requestId ? ` (request ${err.requestId})` : '';
  return h('p', { class: 'error', role: 'alert' }, `${err.message}${detail}`);
}

function renderSignIn() {
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
      devError.textContent = err.message;
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

async function renderKeys() {
  const body = h('div', {}, h('p', { class: 'muted' }, 'Loading keys…'));
  const createButton = isAdmin() ? h('button', { type: 'button', class: 'primary', id: 'create-key', onclick: () => openCreateDialog() }, 'Create API Key') : null;
  setMain('API keys', h('div', { class: 'row spread' },
    h('p', { class: 'muted' }, 'Keys let your programs call the Postgate API. A key is shown once, when it is created.'),
    createButton), body);
  try {
    const keys = await listAll('/api/v1/keys');
    body.replaceChildren(keys.length === 0
      ? h('p', { class: 'card' }, 'No keys yet.' + (isAdmin() ? ' Create one to start.' : ''))
      : keysTable(keys));
  } catch (err) {
    body.replaceChildren(errorBox(err));
  }
}

function scopeChips(scopes) {
  return scopes.map((s) => h('span', { class: SPENDING.has(s) ? 'chip spend' : 'chip', title: SPENDING.has(s) ? 'Spends credits' : null }, s));
}

function keysTable(keys) {
  const rows = keys.map((key) => h('tr', { 'data-key-id': key.id },
    h('td', { 'data-label': 'Name' }, h('a', { href: `#/keys/${key.id}` }, key.name), h('div', { class: 'muted mono' }, key.mode)),
    h('td', { 'data-label': 'Key' }, h('code', {}, `${key.start}…${key.last4}`)),
    h('td', { 'data-label': 'Scopes' }, scopeChips(key.scopes)),
    h('td', { 'data-label': 'Workspaces' }, key.workspace_ids ? key.workspace_ids.join(', ') : 'All'),
    h('td', { 'data-label': 'Created' }, fmtTime(key.created_at)),
    h('td', { 'data-label': 'Last used' }, key.last_used_at ? fmtTime(key.last_used_at) : 'Never'),
    h('td', { 'data-label': 'Status' }, h('span', { class: `status-${key.status}` }, key.status),
      key.leak ? h('div', { class: 'leaked' }, 'Leaked') : null,
      key.expires_at && key.status === 'active' ? h('div', { class: 'muted' }, `expires ${fmtTime(key.expires_at)}`) : null),
    h('td', { 'data-label': 'Actions' }, keyActions(key))));
  return h('table', { class: 'responsive', id: 'keys-table' },
    h('caption', { class: 'muted' }, `${keys.length} key${keys.length === 1 ? '' : 's'}`),
    h('thead', {}, h('tr', {}, ['Name', 'Key', 'Scopes', 'Workspaces', 'Created', 'Last used', 'Status', 'Actions']
      .map((t) => h('th', { scope: 'col' }, t)))),
    h('tbody', {}, rows));
}

function keyActions(key) {
  const audit = h('a', { href: `#/keys/${key.id}`, class: 'button' }, 'Audit log');
  if (!isAdmin() || key.status !== 'active') return audit;
  return h('div', { class: 'row' },
    h('button', { type: 'button', onclick: () => openRenameDialog(key), 'aria-label': `Rename ${key.name}` }, 'Rename'),
    h('button', { type: 'button', onclick: () => openRollDialog(key), 'aria-label': `Roll ${key.name}` }, 'Roll'),
    h('button', { type: 'button', class: 'danger', onclick: () => openRevokeDialog(key), 'aria-label': `Revoke ${key.name}` }, 'Revoke'),
    audit);
}

const LEAK_REPORTERS = { 'github-secret-scanning': 'GitHub secret scanning', 'public-report': 'a public report' };

/** A key revoked as leaked (SPEC section 10): who reported it, when, and where it was found. */
function leakNotice(leak) {
  // Only an https address becomes a link (never javascript: or the like); anything else stays text.
  const where = leak.found_at
    ? [' Found at ', /^https:\/\//.test(leak.found_at)
      ? h('a', { href: leak.found_at, rel: 'noopener noreferrer', target: '_blank' }, leak.found_at)
      : h('code', {}, leak.found_at), '.']
    : [];
  return h('p', { class: 'leaked', id: 'leak-notice' }, 'Leaked: revoked after ',
    LEAK_REPORTERS[leak.reported_by] || leak.reported_by, ` found it, ${fmtTime(leak.revoked_at)}.`, ...where);
}

/** A revocation receipt (SPEC section 6) in words: on how many live instances the change is confirmed, and which are missing. */
function receiptText(p) {
  if (p.status === 'confirmed') {
    return `Revoked on ${p.confirmed} of ${p.expected} instance${p.expected === 1 ? '' : 's'} in ${p.elapsed_ms} ms.`;
  }
  if (p.expected === 0) {
    return 'Revoked. No live instance has confirmed it yet; instances that come up verify the key and refuse it.';
  }
  const missing = p.missing.map((m) => m.instance).join(', ');
  return `Revoked on ${p.confirmed} of ${p.expected} instances so far; not yet confirmed by ${missing}`
    + ' (they stop trusting their cache within seconds).';
}

async function renderKey(id) {
  const body = h('div', {}, h('p', { class: 'muted' }, 'Loading…'));
  setMain('API key', h('p', {}, h('a', { href: '#/keys' }, '← All keys')), body);
  try {
    const key = (await api('GET', `/api/v1/keys/${encodeURIComponent(id)}`)).data;
    const audit = await listAll(`/api/v1/keys/${encodeURIComponent(id)}/audit`);
    let receipt = null;
    if (key.revoked_at || key.rolled_to) {
      try {
        receipt = (await api('GET', `/api/v1/keys/${encodeURIComponent(id)}/propagation`)).data;
      } catch (err) {
        if (err.status !== 404) throw err;
      }
    }
    $('#main h1').textContent = key.name;
    body.replaceChildren(
      h('div', { class: 'card' },
        h('p', {}, 'Key ', h('code', {}, `${key.start}…${key.last4}`), ' · ', h('span', { class: `status-${key.status}` }, key.status), ' · ', key.mode),
        h('p', {}, scopeChips(key.scopes)),
        h('p', { class: 'muted' }, `Workspaces: ${key.workspace_ids ? key.workspace_ids.join(', ') : 'all'} · created ${fmtTime(key.created_at)} · last used ${key.last_used_at ? fmtTime(key.last_used_at) : 'never'}`
          + (key.expires_at ? ` · expires ${fmtTime(key.expires_at)}` : '') + (key.revoked_at ? ` · revoked ${fmtTime(key.revoked_at)}` : '')),
        key.leak ? leakNotice(key.leak) : null,
        receipt ? h('p', { class: `receipt receipt-${receipt.status}`, id: 'propagation' }, receiptText(receipt)) : null,
        keyActions(key)),
      h('h2', {}, 'Audit log'),
      h('table', { class: 'responsive', id: 'audit-table' },
        h('thead', {}, h('tr', {}, ['When', 'Action', 'By', 'Request', 'Details'].map((t) => h('th', { scope: 'col' }, t)))),
        h('tbody', {}, audit.map((e) => h('tr', {},
          h('td', { 'data-label': 'When' }, fmtTime(e.occurred_at)),
          h('td', { 'data-label': 'Action' }, e.action),
          h('td', { 'data-label': 'By' }, e.actor),
          h('td', { 'data-label': 'Request' }, h('code', {}, e.request_id || '—')),
          h('td', { 'data-label': 'Details' }, h('code', {}, JSON.stringify(e.details))))))));
  } catch (err) {
    body.replaceChildren(errorBox(err));
  }
}

async function loadWorkspaces() {
  if (!state.workspaces) state.workspaces = await listAll('/api/v1/workspaces');
  return state.workspaces;
}

async function renderWorkspaces() {
  const body = h('div', {}, h('p', { class: 'muted' }, 'Loading workspaces…'));
  setMain('Workspaces', body);
  try {
    state.workspaces = null;
    const workspaces = await loadWorkspaces();
    body.replaceChildren(workspaces.length === 0 ? h('p', { class: 'card' }, 'No workspaces yet.')
      : h('table', { class: 'responsive', id: 'workspaces-table' },
        h('thead', {}, h('tr', {}, ['Workspace', 'Id', 'Balance (credits)', ''].map((t) => h('th', { scope: 'col' }, t)))),
        h('tbody', {}, workspaces.map((w) => h('tr', {},
          h('td', { 'data-label': 'Workspace' }, w.name),
          h('td', { 'data-label': 'Id' }, h('code', {}, w.id)),
          h('td', { 'data-label': 'Balance' }, String(w.balance)),
          h('td', { 'data-label': '' }, h('a', { href: `#/workspaces/${w.id}`, class: 'button' }, 'Ledger')))))));
  } catch (err) {
    body.replaceChildren(errorBox(err));
  }
}

async function renderLedger(id) {
  const body = h('div', {}, h('p', { class: 'muted' }, 'Loading ledger…'));
  setMain('Credit ledger', h('p', {}, h('a', { href: '#/workspaces' }, '← All workspaces')), body);
  try {
    const workspace = (await api('GET', `/api/v1/workspaces/${encodeURIComponent(id)}`)).data;
    const entries = await listAll(`/api/v1/workspaces/${encodeURIComponent(id)}/ledger`);
    $('#main h1').textContent = `Credit ledger — ${workspace.name}`;
    body.replaceChildren(h('p', { class: 'card' }, `Balance: ${workspace.balance} credits`),
      entries.length === 0 ? h('p', {}, 'No entries yet.') : h('table', { class: 'responsive', id: 'ledger-table' },
        h('thead', {}, h('tr', {}, ['When', 'Kind', 'Amount', 'Balance after', 'Reason', 'Reference', 'By'].map((t) => h('th', { scope: 'col' }, t)))),
        h('tbody', {}, entries.map((e) => h('tr', {},
          h('td', { 'data-label': 'When' }, fmtTime(e.created_at)),
          h('td', { 'data-label': 'Kind' }, e.kind),
          h('td', { 'data-label': 'Amount' }, String(e.amount)),
          h('td', { 'data-label': 'Balance after' }, String(e.balance_after)),
          h('td', { 'data-label': 'Reason' }, e.reason || '—'),
          h('td', { 'data-label': 'Reference' }, e.reference || '—'),
          h('td', { 'data-label': 'By' }, e.actor || '—'))))));
  } catch (err) {
    body.replaceChildren(errorBox(err));
  }
}

function usageHints(secret) {
  const brand = state.config.brand || 'pp';
  const key = secret || `${brand}_live_sk_…`;
  const base = location.origin;
  return h('div', { class: 'card', id: 'usage-hints' },
    h('h2', {}, 'Using your key'),
    h('p', {}, 'Send the key in the Authorization header (or x-api-key). Workspace-scoped calls also need X-Workspace-Id.'),
    h('pre', {}, h('code', { id: 'curl-line' }, `curl ${base}/api/v1/whoami -H "Authorization: Bearer ${key}"`)),
    h('p', {}, 'Secret scanners can find leaked Postgate keys with this pattern:'),
    h('pre', {}, h('code', { id: 'scan-regex' }, `${brand}_(live|test)_sk_[0-9A-Za-z]{38}`)),
    h('p', { class: 'muted' }, 'Keys never expire unless you set an expiry. Revoke a key the moment it may have leaked: '
      + 'every Postgate service refuses it within a second.'));
}

function renderUsage() {
  setMain('Using your keys', usageHints(null));
}

// ---------- dialogs ----------
function openDialog(title, bodyNodes, actions) {
  const dialog = $('#dialog');
  $('#dialog-title').textContent = title;
  $('#dialog-body').replaceChildren(...bodyNodes);
  $('#dialog-actions').replaceChildren(...actions);
  $('#dialog-error').hidden = true;
  if (!dialog.open) dialog.showModal();
  const first = dialog.querySelector('input, select, textarea, button');
  if (first) first.focus();
}
function closeDialog() {
  const dialog = $('#dialog');
  if (dialog.open) dialog.close();
}
function dialogError(err) {
  const box = $('#dialog-error');
  box.textContent = err.message + (err.requestId ? ` (request ${err.requestId})` : '');
  box.hidden = false;
}
function clearFieldErrors() {
  document.querySelectorAll('#dialog .field-error').forEach((e) => e.remove());
  document.querySelectorAll('#dialog [aria-invalid]').forEach((e) => e.removeAttribute('aria-invalid'));
}
// Shows each error.fields entry next to the control it names; returns whether all found a place.
function showFieldErrors(err, fieldMap) {
  let placed = 0;
  for (const f of err.fields) {
    const root = String(f.field).replace(/\[.*$/, '');
    const target = fieldMap[root];
    if (!target) continue;
    const id = `err-${root}`;
    target.setAttribute('aria-invalid', 'true');
    target.setAttribute('aria-describedby', id);
    target.after(h('p', { class: 'field-error', id }, f.message));
    placed++;
  }
  return placed > 0 && placed === err.fields.length;
}
const cancelButton = () => h('button', { type: 'button', onclick: closeDialog }, 'Cancel');

async function openCreateDialog() {
  const name = h('input', { type: 'text', id: 'key-name', name: 'name', maxlength: 100, required: true, placeholder: 'e.g. Production scheduler' });
  const presetRadios = [...Object.entries(PRESETS).map(([value, p]) => ({ value, label: p.label })), { value: 'custom', label: 'Custom' }]
    .map(({ value, label }) => h('label', {}, h('input', { type: 'radio', name: 'preset', value, checked: value === 'full', onchange: () => applyPreset(value) }), label));
  const boxes = {};
  const scopeFieldset = h('fieldset', { id: 'scopes' }, h('legend', {}, 'Scopes (resources your key may use)'),
    h('div', { class: 'checks' }, SCOPE_GROUPS.flatMap(([group, scopes]) => scopes.map((s) => {
      boxes[s] = h('input', { type: 'checkbox', name: 'scope', value: s, id: `scope-${s.replace(':', '-')}`, onchange: () => markCustom() });
      return h('label', { for: `scope-${s.replace(':', '-')}` }, boxes[s], s,
        SPENDING.has(s) ? h('span', { class: 'chip spend' }, 'spends credits') : null);
    }))));
  function applyPreset(value) {
    if (value === 'custom') return;
    for (const s of ALL_SCOPES) boxes[s].checked = PRESETS[value].scopes.includes(s);
  }
  function markCustom() {
    const chosen = ALL_SCOPES.filter((s) => boxes[s].checked);
    const match = Object.entries(PRESETS).find(([, p]) => p.scopes.length === chosen.length && p.scopes.every((s) => chosen.includes(s)));
    for (const radio of document.querySelectorAll('#dialog input[name=preset]')) radio.checked = radio.value === (match ? match[0] : 'custom');
  }
  applyPreset('full');

  const wsBox = h('fieldset', { id: 'workspaces' }, h('legend', {}, 'Workspaces (optional: leave all unticked for every workspace)'), h('p', { class: 'muted' }, 'Loading…'));
  loadWorkspaces().then((list) => {
    wsBox.replaceChildren(wsBox.firstChild, list.length === 0 ? h('p', { class: 'muted' }, 'No workspaces yet.')
      : h('div', { class: 'checks' }, list.map((w) => h('label', {}, h('input', { type: 'checkbox', name: 'workspace', value: w.id }), `${w.name} (${w.id})`))));
  }).catch(() => wsBox.replaceChildren(wsBox.firstChild, h('p', { class: 'muted' }, 'Workspaces could not be loaded; the key will work in every workspace.')));
  const expires = h('input', { type: 'datetime-local', id: 'key-expires', name: 'expires_at' });
  const mode = h('select', { id: 'key-mode', name: 'mode' }, h('option', { value: 'live' }, 'Live (real publishing, spends credits)'),
    h('option', { value: 'test' }, 'Test (sandbox only, free)'));

  const submit = h('button', { type: 'submit', class: 'primary', id: 'create-submit' }, 'Create key');
  openDialog('Create API Key', [
    h('label', { for: 'key-name' }, 'Name'), name,
    h('fieldset', {}, h('legend', {}, 'Access'), h('div', { class: 'radio', role: 'radiogroup' }, presetRadios)),
    scopeFieldset, wsBox,
    h('label', { for: 'key-expires' }, 'Expires (optional)'), expires,
    h('label', { for: 'key-mode' }, 'Mode'), mode,
  ], [cancelButton(), submit]);

  $('#dialog-form').onsubmit = async (e) => {
    e.preventDefault();
    clearFieldErrors();
    $('#dialog-error').hidden = true;
    const scopes = ALL_SCOPES.filter((s) => boxes[s].checked);
    const workspaceIds = [...document.querySelectorAll('#dialog input[name=workspace]:checked')].map((b) => b.value);
    const body = { name: name.value, scopes, mode: mode.value };
    if (workspaceIds.length > 0) body.workspace_ids = workspaceIds;
    if (expires.value) body.expires_at = new Date(expires.value).toISOString();
    submit.disabled = true;
    try {
      const created = (await api('POST', '/api/v1/keys', body)).data;
      showSecret(created, 'Your new API key');
    } catch (err) {
      if (!showFieldErrors(err, { name, scopes: scopeFieldset, preset: scopeFieldset, workspace_ids: wsBox, expires_at: expires, mode })) dialogError(err);
    } finally {
      submit.disabled = false;
    }
  };
}

function showSecret(key, title) {
  const secret = h('input', { type: 'text', id: 'new-secret', readonly: true, value: key.key, 'aria-label': 'New API key', spellcheck: 'false' });
  const copy = h('button', { type: 'button', id: 'copy-secret', onclick: async () => {
    try {
      await navigator.clipboard.writeText(secret.value);
      toast('Key copied to the clipboard');
    } catch (e) {
      secret.select();
      toast('Press Ctrl+C (⌘C) to copy');
    }
  } }, 'Copy');
  openDialog(title, [
    h('p', { class: 'warning', role: 'alert' }, 'Copy this key now. For your security it will not be shown again: '
      + 'Postgate keeps only a fingerprint of it.'),
    h('div', { class: 'secret' }, secret, copy),
    h('p', {}, 'Name: ', key.name, ' · scopes: ', scopeChips(key.scopes)),
    usageHints(key.key),
  ], [h('button', { type: 'button', class: 'primary', id: 'secret-done', onclick: () => {
    secret.value = '';
    closeDialog();
    render();
  } }, 'I have copied it')]);
  $('#dialog-form').onsubmit = (e) => e.preventDefault();
}

function openRenameDialog(key) {
  const name = h('input', { type: 'text', id: 'rename-name', value: key.name, maxlength: 100, required: true });
  openDialog(`Rename “${key.name}”`, [h('label', { for: 'rename-name' }, 'Name'), name,
    h('p', { class: 'muted' }, 'Only the name can change; scopes and workspaces are fixed when a key is created.')],
  [cancelButton(), h('button', { type: 'submit', class: 'primary' }, 'Save')]);
  $('#dialog-form').onsubmit = async (e) => {
    e.preventDefault();
    clearFieldErrors();
    try {
      await api('PATCH', `/api/v1/keys/${key.id}`, { name: name.value });
      closeDialog();
      toast('Key renamed');
      render();
    } catch (err) {
      if (!showFieldErrors(err, { name })) dialogError(err);
    }
  };
}

function openRollDialog(key) {
  const overlap = h('select', { id: 'roll-overlap' }, OVERLAPS.map(([seconds, label]) => h('option', { value: seconds }, label)));
  openDialog(`Roll “${key.name}”`, [
    h('p', {}, 'Rolling makes a new key with the same name, scopes and workspaces. Give your programs time to switch:'),
    h('label', { for: 'roll-overlap' }, 'Old key'), overlap],
  [cancelButton(), h('button', { type: 'submit', class: 'primary', id: 'roll-submit' }, 'Roll key')]);
  $('#dialog-form').onsubmit = async (e) => {
    e.preventDefault();
    try {
      const rolled = (await api('POST', `/api/v1/keys/${key.id}/roll`, { expire_old_in_seconds: Number(overlap.value) })).data;
      showSecret(rolled, 'Your replacement key');
    } catch (err) {
      dialogError(err);
    }
  };
}

function openRevokeDialog(key) {
  openDialog(`Revoke “${key.name}”?`, [
    h('p', { class: 'warning', role: 'alert' }, 'Revocation is permanent: every request with this key is refused '
      + 'within a second, and it cannot be turned back on. Programs using it will stop working.'),
    h('p', {}, 'Key ', h('code', {}, `${key.start}…${key.last4}`))],
  [cancelButton(), h('button', { type: 'submit', class: 'danger', id: 'revoke-confirm' }, 'Revoke key permanently')]);
  $('#dialog-form').onsubmit = async (e) => {
    e.preventDefault();
    try {
      const revoked = (await api('POST', `/api/v1/keys/${key.id}/revoke`)).data;
      closeDialog();
      toast(revoked.propagation ? `“${key.name}”: ${receiptText(revoked.propagation)}` : `“${key.name}” revoked`);
      render();
    } catch (err) {
      dialogError(err);
    }
  };
}

// ---------- routing ----------
function render() {
  const hash = location.hash || '#/keys';
  const signedIn = Boolean(state.token);
  $('#nav').hidden = !signedIn;
  $('#who').hidden = !signedIn;
  if (signedIn) {
    $('#who-text').textContent = `${state.user.sub} · ${state.user.org} · ${state.user.admin ? 'admin' : 'member'}`;
  }
  if (!signedIn) return renderSignIn();
  const [, section, id] = hash.split('/');
  for (const link of document.querySelectorAll('#nav a')) {
    if (link.dataset.nav === section) link.setAttribute('aria-current', 'page'); else link.removeAttribute('aria-current');
  }
  if (section === 'keys' && id) return renderKey(decodeURIComponent(id));
  if (section === 'workspaces' && id) return renderLedger(decodeURIComponent(id));
  if (section === 'workspaces') return renderWorkspaces();
  if (section === 'usage') return renderUsage();
  return renderKeys();
}

async function start() {
  $('#sign-out').addEventListener('click', () => signOut('Signed out'));
  try {
    const response = await fetch('/dashboard/config', { headers: { Accept: 'application/json' } });
    if (response.ok) state.config = (await response.json()).data;
  } catch (e) { /* defaults */ }
  if (state.config.dev_sign_in) {
    const banner = $('#banner');
    banner.textContent = 'Development build: development sign-in is on. It is off in production.';
    banner.hidden = false;
  }
  const saved = sessionStorage.getItem(TOKEN_ITEM);
  if (saved) {
    try {
      useToken(saved);
    } catch (e) {
      sessionStorage.removeItem(TOKEN_ITEM);
    }
  }
  takeProviderAnswer();
  window.addEventListener('hashchange', () => {
    takeProviderAnswer();
    render();
  });
  render();
}

document.addEventListener('DOMContentLoaded', start);
