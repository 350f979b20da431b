// ---------- workspaces and their credit ledgers ----------
import { state } from './state.js';
import { $, fmtTime, h } from './dom.js';
import { api, listAll, url } from './api.js';
import { screen, table } from './views.js';

export async function loadWorkspaces() {
  if (!state.workspaces) state.workspaces = await listAll('/api/v1/workspaces');
  return state.workspaces;
}

export async function renderWorkspaces() {
  await screen('Workspaces', null, 'Loading workspaces…', async () => {
    state.workspaces = null;
    const workspaces = await loadWorkspaces();
    return workspaces.length === 0 ? h('p', { class: 'card' }, 'No workspaces yet.') : table('workspaces-table', [
      ['Workspace', (w) => w.name],
      ['Id', (w) => h('code', {}, w.id)],
      ['Balance (credits)', (w) => String(w.balance)],
      ['', (w) => h('a', { href: url`#/workspaces/${w.id}`, class: 'button' }, 'Ledger')],
    ], workspaces);
  });
}

export async function renderLedger(id) {
  await screen('Credit ledger', h('p', {}, h('a', { href: '#/workspaces' }, '← All workspaces')), 'Loading ledger…', async () => {
    const workspace = (await api('GET', url`/api/v1/workspaces/${id}`)).data;
    const entries = await listAll(url`/api/v1/workspaces/${id}/ledger`);
    $('#main h1').textContent = `Credit ledger — ${workspace.name}`;
    return [h('p', { class: 'card' }, `Balance: ${workspace.balance} credits`),
      entries.length === 0 ? h('p', {}, 'No entries yet.') : table('ledger-table', [
        ['When', (e) => fmtTime(e.created_at)],
        ['Kind', (e) => e.kind],
        ['Amount', (e) => String(e.amount)],
        ['Balance after', (e) => String(e.balance_after)],
        ['Reason', (e) => e.reason || '—'],
        ['Reference', (e) => e.reference || '—'],
        ['By', (e) => e.actor || '—'],
      ], entries)];
  });
}
