// ---------- small DOM helpers (text only: nothing from the API is ever parsed as HTML) ----------
export function h(tag, attrs, ...children) {
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
export const $ = (sel) => document.querySelector(sel);
export function fmtTime(iso) {
  if (!iso) return '—';
  const d = new Date(iso);
  return isNaN(d) ? iso : d.toLocaleString();
}
/** A key as the page shows it: its first characters and last four, never the secret. */
export function keyHint(key) {
  return `${key.start}…${key.last4}`;
}
/** An API error as the page shows it: its message, and the request id to quote to support. */
export function errorText(err) {
  return err.message + (err.requestId ? ` (request ${err.requestId})` : '');
}
export function toast(message) {
  const t = $('#toast');
  t.textContent = message;
  t.classList.add('show');
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => t.classList.remove('show'), 3000);
}
