// What the dashboard knows: the scopes and presets it offers, and the signed-in session.
export const SCOPE_GROUPS = [
  ['account', ['account:read']],
  ['posts', ['posts:read', 'posts:write', 'posts:publish']],
  ['media', ['media:read', 'media:write']],
  ['content', ['content:read', 'content:generate']],
  ['images', ['images:read', 'images:generate']],
  ['videos', ['videos:read', 'videos:generate']],
  ['calendar', ['calendar:read', 'calendar:write']],
  ['analytics', ['analytics:read']],
];
export const ALL_SCOPES = SCOPE_GROUPS.flatMap(([, scopes]) => scopes);
export const SPENDING = new Set(['content:generate', 'images:generate', 'videos:generate', 'posts:publish']);
export const PRESETS = {
  full: { label: 'Full access', scopes: ALL_SCOPES },
  draft: { label: 'Draft only', scopes: ALL_SCOPES.filter((s) => s !== 'posts:publish') },
  read_only: { label: 'Read only', scopes: ALL_SCOPES.filter((s) => s.endsWith(':read')) },
};
export const OVERLAPS = [[0, 'Stop the old key now'], [3600, 'Keep the old key for 1 hour'],
  [86400, 'Keep the old key for 24 hours'], [604800, 'Keep the old key for 7 days']];

export const state = { token: null, user: null, config: { dev_sign_in: false, brand: 'pp', sign_in: null }, workspaces: null };
export const TOKEN_ITEM = 'postgate.token';
// The sign-in this tab started: its state and nonce, until the identity provider answers once.
export const PENDING_SIGN_IN_ITEM = 'postgate.sign-in';
