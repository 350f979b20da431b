import { $, errorText, h } from './dom.js';

// ---------- dialogs ----------
export function openDialog(title, bodyNodes, actions) {
  const dialog = $('#dialog');
  $('#dialog-title').textContent = title;
  $('#dialog-body').replaceChildren(...bodyNodes);
  $('#dialog-actions').replaceChildren(...actions);
  $('#dialog-error').hidden = true;
  if (!dialog.open) dialog.showModal();
  const first = dialog.querySelector('input, select, textarea, button');
  if (first) first.focus();
}
export function closeDialog() {
  const dialog = $('#dialog');
  if (dialog.open) dialog.close();
}
// However a dialog closes (a button, Escape), what it showed goes with it: a new key's secret above all.
// The event comes a moment after the close: a dialog opened again meanwhile (a late answer's) is left alone.
$('#dialog').addEventListener('close', () => {
  if ($('#dialog').open) return;
  $('#dialog-body').replaceChildren();
  $('#dialog-actions').replaceChildren();
});
export function dialogError(err) {
  const box = $('#dialog-error');
  box.textContent = errorText(err);
  box.hidden = false;
}
export function clearFieldErrors() {
  document.querySelectorAll('#dialog .field-error').forEach((e) => e.remove());
  document.querySelectorAll('#dialog [aria-invalid]').forEach((e) => e.removeAttribute('aria-invalid'));
}
// Shows each error.fields entry next to the control it names; returns whether all found a place.
export function showFieldErrors(err, fieldMap) {
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
export const cancelButton = () => h('button', { type: 'button', onclick: closeDialog }, 'Cancel');
