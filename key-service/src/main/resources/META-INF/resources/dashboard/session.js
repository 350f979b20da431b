import { PENDING_SIGN_IN_ITEM, TOKEN_ITEM, state } from './state.js';
import { $, toast } from './dom.js';
import { refresh } from './views.js';

// ---------- session ----------
export function decodeToken(token) {
  try {
    const payload = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    return JSON.parse(atob(payload + '='.repeat((4 - (payload.length % 4)) % 4)));
  } catch (e) {
    return null;
  }
}

export function useToken(token) {
  const claims = decodeToken(token);
  if (!claims || !claims.org_id) throw new Error('This is not a dashboard token (no org_id claim).');
  state.token = token;
  state.user = { org: claims.org_id, sub: claims.sub, admin: (claims.groups || []).includes('admin') };
  sessionStorage.setItem(TOKEN_ITEM, token);
  state.workspaces = null;
  notice(null);
}

export function signOut(message) {
  state.token = null;
  state.user = null;
  sessionStorage.removeItem(TOKEN_ITEM);
  location.hash = '#/sign-in';
  if (message) toast(message);
  refresh();
}

export const isAdmin = () => state.user && state.user.admin;

// A message about sign-in above every view (role=alert), until the next sign-in; null hides it.
export function notice(message) {
  const box = $('#notice');
  box.textContent = message || '';
  box.hidden = !message;
}

export function randomValue() {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

// The one address the identity provider may send users back to (register it there).
export const redirectUri = () => `${location.origin}/dashboard`;

export function startProviderSignIn() {
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
export function providerAnswer() {
  if (!location.hash || location.hash.startsWith('#/')) return null;
  const params = new URLSearchParams(location.hash.slice(1));
  return params.has('access_token') || params.has('error') ? params : null;
}

// Takes the provider's answer only if it answers the sign-in this tab started (its state, used
// once, and the token's nonce claim when it has one): anything else is a link from elsewhere,
// which must not sign anyone in, nor replace the session of someone already signed in.
export function takeProviderAnswer() {
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
