// ---------- what every screen uses ----------
import { $, errorText, h } from './dom.js';

// Draws the screen the address names again (after a change, or a sign-in or sign-out); the page
// sets it when it starts, so screens and the session need not import the page.
let redraw = () => {};
export function onRefresh(draw) {
  redraw = draw;
}
export function refresh() {
  return redraw();
}

export function setMain(title, ...content) {
  const main = $('#main');
  main.replaceChildren(h('h1', {}, title), ...content);
  document.title = `${title} — Postgate`;
  main.focus({ preventScroll: true });
  window.scrollTo(0, 0);
}

// A screen: its title, what stands above its body (or null), and the body, which shows `loading`
// until `load` answers what replaces it (an element or a list), or an error.
export async function screen(title, header, loading, load) {
  const body = h('div', {}, h('p', { class: 'muted' }, loading));
  setMain(title, ...[header, body].filter(Boolean));
  try {
    body.replaceChildren(...[await load()].flat().filter(Boolean));
  } catch (err) {
    body.replaceChildren(errorBox(err));
  }
}

// A table that reads as labelled cards on a phone: one row per item, `columns` are
// [heading, cell(item)], and every cell is labelled with its heading.
export function table(id, columns, items, { caption = null, rowAttrs = () => ({}) } = {}) {
  return h('table', { class: 'responsive', id },
    caption ? h('caption', { class: 'muted' }, caption) : null,
    h('thead', {}, h('tr', {}, columns.map(([heading]) => h('th', { scope: 'col' }, heading)))),
    h('tbody', {}, items.map((item) => h('tr', rowAttrs(item),
      columns.map(([heading, cell]) => h('td', { 'data-label': heading }, cell(item)))))));
}

export function errorBox(err) {
  return h('p', { class: 'error', role: 'alert' }, errorText(err));
}
