// ---------- the keys screens and their dialogs ----------
import { keyOptions, overlaps, presets, scopeGroups, spendsCredits, state } from './state.js';
import { $, fmtTime, h, keyHint, toast } from './dom.js';
import { api, listAll, url } from './api.js';
import { isAdmin } from './session.js';
import { refresh, screen, table } from './views.js';
import { cancelButton, clearFieldErrors, closeDialog, dialogError, openDialog, showFieldErrors } from './dialogs.js';
import { loadWorkspaces } from './workspaces.js';
import { usageHints } from './usage.js';

export async function renderKeys() {
  const createButton = isAdmin() ? h('button', { type: 'button', class: 'primary', id: 'create-key', onclick: () => openCreateDialog() }, 'Create API Key') : null;
  await screen('API keys', h('div', { class: 'row spread' },
    h('p', { class: 'muted' }, 'Keys let your programs call the Postgate API. A key is shown once, when it is created.'),
    createButton), 'Loading keys…', async () => {
    const keys = await listAll('/api/v1/keys');
    return keys.length === 0
      ? h('p', { class: 'card' }, 'No keys yet.' + (isAdmin() ? ' Create one to start.' : ''))
      : keysTable(keys);
  });
}

export function scopeChips(scopes) {
  return scopes.map((s) => h('span', { class: spendsCredits(s) ? 'chip spend' : 'chip', title: spendsCredits(s) ? 'Spends credits' : null }, s));
}

export function keysTable(keys) {
  return table('keys-table', [
    ['Name', (key) => [h('a', { href: url`#/keys/${key.id}` }, key.name), h('div', { class: 'muted mono' }, key.mode)]],
    ['Key', (key) => h('code', {}, keyHint(key))],
    ['Scopes', (key) => scopeChips(key.scopes)],
    ['Workspaces', (key) => (key.workspace_ids ? key.workspace_ids.join(', ') : 'all')],
    ['Created', (key) => fmtTime(key.created_at)],
    ['Last used', (key) => (key.last_used_at ? fmtTime(key.last_used_at) : 'never')],
    ['Status', (key) => [h('span', { class: `status-${key.status}` }, key.status),
      key.leak ? h('div', { class: 'leaked' }, 'Leaked') : null,
      key.expires_at && key.status === 'active' ? h('div', { class: 'muted' }, `expires ${fmtTime(key.expires_at)}`) : null]],
    ['Actions', (key) => keyActions(key)],
  ], keys, { caption: `${keys.length} key${keys.length === 1 ? '' : 's'}`, rowAttrs: (key) => ({ 'data-key-id': key.id }) });
}

export function keyActions(key) {
  const audit = h('a', { href: url`#/keys/${key.id}`, class: 'button' }, 'Audit log');
  if (!isAdmin() || key.status !== 'active') return audit;
  return h('div', { class: 'row' },
    h('button', { type: 'button', onclick: () => openRenameDialog(key), 'aria-label': `Rename ${key.name}` }, 'Rename'),
    // A key with rolled_to is in its roll's overlap window: the key API refuses to roll it again (409); its successor rolls.
    key.rolled_to ? null : h('button', { type: 'button', onclick: () => openRollDialog(key), 'aria-label': `Roll ${key.name}` }, 'Roll'),
    h('button', { type: 'button', class: 'danger', onclick: () => openRevokeDialog(key), 'aria-label': `Revoke ${key.name}` }, 'Revoke'),
    audit);
}

export const LEAK_REPORTERS = { 'github-secret-scanning': 'GitHub secret scanning', 'public-report': 'a public report' };

/** A key revoked as leaked (SPEC section 10): who reported it, when, and where it was found. */
export function leakNotice(leak) {
  // Only an https address becomes a link (never javascript: or the like); anything else stays text.
  const where = leak.found_at
    ? [' Found at ', /^https:\/\//.test(leak.found_at)
      ? h('a', { href: leak.found_at, rel: 'noopener noreferrer', target: '_blank' }, leak.found_at)
      : h('code', {}, leak.found_at), '.']
    : [];
  return h('p', { class: 'leaked', id: 'leak-notice' }, 'Leaked: revoked after ',
    LEAK_REPORTERS[leak.reported_by] || leak.reported_by, ` found it, ${fmtTime(leak.revoked_at)}.`, ...where);
}

/** What the receipt's change did to the key: revoked, or ended at once by a roll (its status is then expired). */
function changeWord(key) {
  return key && !key.revoked_at && key.rolled_to ? 'Ended' : 'Revoked';
}

/**
 * A revocation receipt (SPEC section 6) in words: on how many live instances the change is
 * confirmed, and which are missing. A partial receipt with no instance missing is one whose
 * instances all applied the change, but key-service has not read every instance's report (when
 * the wait ended, or yet: the wait may still run), so an instance it did not know of could not be
 * ruled out.
 */
export function receiptText(p, key) {
  const done = changeWord(key);
  const instances = `${p.expected} instance${p.expected === 1 ? '' : 's'}`;
  if (p.status === 'confirmed') {
    return `${done} on ${p.confirmed} of ${instances} in ${p.elapsed_ms} ms.`;
  }
  if (p.expected === 0) {
    return `${done}. No live instance has confirmed it yet; instances that come up verify the key and refuse it.`;
  }
  if (p.missing.length === 0) {
    return `${done} on ${p.confirmed} of ${instances}; not confirmed, as key-service has not yet read every instance's report`
      + ' (an instance it does not know of stops trusting its cache within seconds).';
  }
  const missing = p.missing.map((m) => m.instance).join(', ');
  return `${done} on ${p.confirmed} of ${instances} so far; not yet confirmed by ${missing}`
    + ' (they stop trusting their cache within seconds).';
}

export async function renderKey(id) {
  await screen('API key', h('p', {}, h('a', { href: '#/keys' }, '← All keys')), 'Loading…', async () => {
    const key = (await api('GET', url`/api/v1/keys/${id}`)).data;
    const audit = await listAll(url`/api/v1/keys/${id}/audit`);
    let receipt = null;
    if (key.revoked_at || key.rolled_to) {
      try {
        receipt = (await api('GET', url`/api/v1/keys/${id}/propagation`)).data;
      } catch (err) {
        if (err.status !== 404) throw err;
      }
    }
    $('#main h1').textContent = key.name;
    return [
      h('div', { class: 'card' },
        h('p', {}, 'Key ', h('code', {}, keyHint(key)), ' · ', h('span', { class: `status-${key.status}` }, key.status), ' · ', key.mode),
        h('p', {}, scopeChips(key.scopes)),
        h('p', { class: 'muted' }, `Workspaces: ${key.workspace_ids ? key.workspace_ids.join(', ') : 'all'} · created ${fmtTime(key.created_at)} · last used ${key.last_used_at ? fmtTime(key.last_used_at) : 'never'}`
          + (key.expires_at ? ` · expires ${fmtTime(key.expires_at)}` : '') + (key.revoked_at ? ` · revoked ${fmtTime(key.revoked_at)}` : '')),
        key.leak ? leakNotice(key.leak) : null,
        receipt ? h('p', { class: `receipt receipt-${receipt.status}`, id: 'propagation' }, receiptText(receipt, key)) : null,
        keyActions(key)),
      h('h2', {}, 'Audit log'),
      table('audit-table', [
        ['When', (e) => fmtTime(e.occurred_at)],
        ['Action', (e) => e.action],
        ['By', (e) => e.actor],
        ['Request', (e) => h('code', {}, e.request_id || '—')],
        ['Details', (e) => h('code', {}, JSON.stringify(e.details))],
      ], audit)];
  });
}


export async function openCreateDialog() {
  const options = keyOptions();
  const offered = presets();
  const name = h('input', { type: 'text', id: 'key-name', name: 'name', maxlength: options.max_name, required: true, placeholder: 'e.g. Production scheduler' });
  const presetRadios = [...offered.map((p) => ({ value: p.name, label: p.label })), { value: 'custom', label: 'Custom' }]
    .map(({ value, label }) => h('label', {}, h('input', { type: 'radio', name: 'preset', value, checked: value === 'full', onchange: () => applyPreset(value) }), label));
  const boxes = {};
  const scopeFieldset = h('fieldset', { id: 'scopes' }, h('legend', {}, 'Scopes (resources your key may use)'),
    h('div', { class: 'checks' }, scopeGroups().flatMap(([, scopes]) => scopes.map((s) => {
      boxes[s] = h('input', { type: 'checkbox', name: 'scope', value: s, id: `scope-${s.replace(':', '-')}`, onchange: () => markCustom() });
      return h('label', { for: `scope-${s.replace(':', '-')}` }, boxes[s], s,
        spendsCredits(s) ? h('span', { class: 'chip spend' }, 'spends credits') : null);
    }))));
  function applyPreset(value) {
    if (value === 'custom') return;
    const preset = offered.find((p) => p.name === value);
    if (!preset) return;
    for (const s of options.scopes) boxes[s].checked = preset.scopes.includes(s);
  }
  function markCustom() {
    const chosen = options.scopes.filter((s) => boxes[s].checked);
    const match = offered.find((p) => p.scopes.length === chosen.length && p.scopes.every((s) => chosen.includes(s)));
    for (const radio of document.querySelectorAll('#dialog input[name=preset]')) radio.checked = radio.value === (match ? match.name : 'custom');
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
    const scopes = options.scopes.filter((s) => boxes[s].checked);
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

/** Secrets answered while another is on screen (a late roll's): each is shown once the one before is copied. */
const waitingSecrets = [];

export function showSecret(key, title) {
  if ($('#dialog').open && $('#new-secret')) {
    waitingSecrets.push({ key, title, token: state.token });
    toast('Another new key is waiting: it is shown once you have copied this one.');
    return;
  }
  const secret = h('input', { type: 'text', id: 'new-secret', readonly: true, 'aria-label': 'New API key', spellcheck: 'false' });
  secret.value = key.key; // the property, not an attribute: the secret is never part of the page's markup
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
  } }, 'I have copied it')]);
  $('#dialog-form').onsubmit = (e) => e.preventDefault();
  // Escape would lose the secret for good: the dialog stays until "I have copied it". Should the
  // browser close it all the same, the secret goes with it (dialogs.js) and the list shows the new key.
  const dialog = $('#dialog');
  const keep = (e) => {
    e.preventDefault();
    toast('Copy the key first, then choose “I have copied it”: it cannot be shown again.');
  };
  const closed = () => {
    if (dialog.open) return; // opened again before this event came
    dialog.removeEventListener('cancel', keep);
    dialog.removeEventListener('close', closed);
    refresh();
    // Not after the session it was made in has ended (signed out meanwhile).
    while (waitingSecrets.length > 0 && waitingSecrets[0].token !== state.token) waitingSecrets.shift();
    const next = waitingSecrets.shift();
    if (next) showSecret(next.key, next.title);
  };
  dialog.addEventListener('cancel', keep);
  dialog.addEventListener('close', closed);
}

export function openRenameDialog(key) {
  const name = h('input', { type: 'text', id: 'rename-name', value: key.name, maxlength: keyOptions().max_name, required: true });
  openDialog(`Rename “${key.name}”`, [h('label', { for: 'rename-name' }, 'Name'), name,
    h('p', { class: 'muted' }, 'Only the name can change; scopes and workspaces are fixed when a key is created.')],
  [cancelButton(), h('button', { type: 'submit', class: 'primary' }, 'Save')]);
  $('#dialog-form').onsubmit = async (e) => {
    e.preventDefault();
    clearFieldErrors();
    try {
      await api('PATCH', url`/api/v1/keys/${key.id}`, { name: name.value });
      if (name.isConnected) closeDialog(); // not another dialog opened meanwhile
      toast('Key renamed');
      refresh();
    } catch (err) {
      if (!showFieldErrors(err, { name })) dialogError(err);
    }
  };
}

export function openRollDialog(key) {
  const overlap = h('select', { id: 'roll-overlap' }, overlaps().map(([seconds, label]) => h('option', { value: seconds }, label)));
  const submit = h('button', { type: 'submit', class: 'primary', id: 'roll-submit' }, 'Roll key');
  openDialog(`Roll “${key.name}”`, [
    h('p', {}, 'Rolling makes a new key with the same name, scopes and workspaces. Give your programs time to switch:'),
    h('label', { for: 'roll-overlap' }, 'Old key'), overlap],
  [cancelButton(), submit]);
  $('#dialog-form').onsubmit = async (e) => {
    e.preventDefault();
    submit.disabled = true; // one roll at a time: a second would be refused ("already rolled")
    try {
      const rolled = (await api('POST', url`/api/v1/keys/${key.id}/roll`, { expire_old_in_seconds: Number(overlap.value) })).data;
      showSecret(rolled, 'Your replacement key'); // even if the dialog was left meanwhile: the new key is shown once
    } catch (err) {
      if (submit.isConnected) dialogError(err);
    } finally {
      submit.disabled = false;
    }
  };
}

export function openRevokeDialog(key) {
  const confirm = h('button', { type: 'submit', class: 'danger', id: 'revoke-confirm' }, 'Revoke key permanently');
  openDialog(`Revoke “${key.name}”?`, [
    h('p', { class: 'warning', role: 'alert' }, 'Revocation is permanent: every request with this key is refused '
      + 'within a second, and it cannot be turned back on. Programs using it will stop working.'),
    h('p', {}, 'Key ', h('code', {}, keyHint(key)))],
  [cancelButton(), confirm]);
  $('#dialog-form').onsubmit = async (e) => {
    e.preventDefault();
    confirm.disabled = true;
    try {
      const revoked = (await api('POST', url`/api/v1/keys/${key.id}/revoke`)).data;
      if (confirm.isConnected) closeDialog(); // not another dialog opened meanwhile (a new key's secret)
      toast(revoked.propagation ? `“${key.name}”: ${receiptText(revoked.propagation, revoked)}` : `“${key.name}” revoked`);
      refresh();
    } catch (err) {
      if (confirm.isConnected) dialogError(err);
    } finally {
      confirm.disabled = false;
    }
  };
}
