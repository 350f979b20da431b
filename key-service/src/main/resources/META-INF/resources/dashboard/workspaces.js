// ---------- workspaces and their credit ledgers ----------
import { state } from './state.js';
import { $, fmtTime, h } from './dom.js';
import { api, listAll } from './api.js';
import { errorBox, setMain } from './views.js';

export async function loadWorkspaces() {
  if (!state.workspaces) state.workspaces = await listAll('/api/v1/workspaces');
  return state.workspaces;
}

export async function renderWorkspaces() {
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

export async function renderLedger(id) {
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
