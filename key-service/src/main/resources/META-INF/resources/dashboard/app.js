// Postgate developer dashboard: create, copy once, watch and revoke API keys.
// Plain JavaScript, no build step, nothing loaded from elsewhere. It calls only the public
// dashboard (JWT) paths of the API on the same origin; the token lives in sessionStorage.
// Sign-in through an identity provider is started here (OAuth 2 implicit grant, OpenID Connect
// style): the page accepts an #access_token= only as the answer to a sign-in it started itself.
// This module starts the page and routes between screens; each screen is a module of its own.
import { TOKEN_ITEM, state } from './state.js';
import { $ } from './dom.js';
import { signOut, takeProviderAnswer, useToken } from './session.js';
import { renderSignIn } from './signin.js';
import { renderKey, renderKeys } from './keys.js';
import { renderLedger, renderWorkspaces } from './workspaces.js';
import { renderUsage } from './usage.js';
import { onRefresh } from './views.js';

// ---------- routing ----------
/** A part of the address, decoded; as typed when it cannot be (a stray '%'): it then names nothing, and the page says so. */
function decoded(part) {
  try {
    return decodeURIComponent(part);
  } catch (e) {
    return part;
  }
}

export function render() {
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
  if (section === 'keys' && id) return renderKey(decoded(id));
  if (section === 'workspaces' && id) return renderLedger(decoded(id));
  if (section === 'workspaces') return renderWorkspaces();
  if (section === 'usage') return renderUsage();
  return renderKeys();
}

export async function start() {
  onRefresh(render);
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
