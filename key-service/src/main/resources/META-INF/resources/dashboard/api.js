import { state } from './state.js';
import { signOut } from './session.js';

// ---------- API ----------
export class ApiError extends Error {
  constructor(status, error) {
    super((error && error.message) || `Request failed (${status})`);
    this.status = status;
    this.code = error && error.code;
    this.fields = (error && error.fields) || [];
    this.requestId = null;
  }
}

/** A path or link with its values URL-encoded: url`/api/v1/keys/${id}/audit`. Every id goes through it. */
export function url(strings, ...values) {
  return strings.reduce((out, part, i) => out + part + (i < values.length ? encodeURIComponent(values[i]) : ''), '');
}

export async function api(method, path, body) {
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

export async function listAll(path) {
  const items = [];
  let cursor = null;
  do {
    const sep = path.includes('?') ? '&' : '?';
    // The largest page the API takes, as /dashboard/config tells it (without it, the API's default page).
    const limit = state.config.page_limit ? `limit=${state.config.page_limit}` : '';
    const query = [limit, cursor ? url`cursor=${cursor}` : ''].filter(Boolean).join('&');
    const page = await api('GET', query ? `${path}${sep}${query}` : path);
    items.push(...page.data);
    cursor = page.meta.next_cursor;
  } while (cursor);
  return items;
}
