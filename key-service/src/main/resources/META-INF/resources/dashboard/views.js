// ---------- what every screen uses ----------
import { $, h } from './dom.js';

export function setMain(title, ...content) {
  const main = $('#main');
  main.replaceChildren(h('h1', {}, title), ...content);
  document.title = `${title} — Postgate`;
  main.focus({ preventScroll: true });
  window.scrollTo(0, 0);
}

export function errorBox(err) {
  const detail = err.requestId ? ` (request ${err.requestId})` : '';
  return h('p', { class: 'error', role: 'alert' }, `${err.message}${detail}`);
}
