// What the dashboard knows: the signed-in session, and what key-service says the key dialogs
// offer (/dashboard/config: scopes, presets, what spends credits, limits), never a copy of its rules.
export const state = { token: null, user: null, config: { dev_sign_in: false, brand: 'pp', sign_in: null, keys: null }, workspaces: null };

const NO_KEY_OPTIONS = { scopes: [], presets: {}, spending: [], max_name: null, max_roll_overlap_seconds: 0, pattern: '' };
const PRESET_LABELS = { full: 'Full access', draft: 'Draft only', read_only: 'Read only' };
const OVERLAPS = [[0, 'Stop the old key now'], [3600, 'Keep the old key for 1 hour'],
  [86400, 'Keep the old key for 24 hours'], [604800, 'Keep the old key for 7 days']];

export function keyOptions() {
  return state.config.keys || NO_KEY_OPTIONS;
}

/** The scopes by resource (the part before ':'), in key-service's order. */
export function scopeGroups() {
  const groups = new Map();
  for (const scope of keyOptions().scopes) {
    const resource = scope.split(':')[0];
    if (!groups.has(resource)) groups.set(resource, []);
    groups.get(resource).push(scope);
  }
  return [...groups.entries()];
}

export function spendsCredits(scope) {
  return keyOptions().spending.includes(scope);
}

/** The presets as the create dialog offers them: name, label and scopes. */
export function presets() {
  return Object.entries(keyOptions().presets).map(([name, scopes]) => ({ name, label: PRESET_LABELS[name] || name, scopes }));
}

/** The roll overlaps key-service takes (up to its longest). */
export function overlaps() {
  return OVERLAPS.filter(([seconds]) => seconds <= keyOptions().max_roll_overlap_seconds);
}
export const TOKEN_ITEM = 'postgate.token';
// The sign-in this tab started: its state and nonce, until the identity provider answers once.
export const PENDING_SIGN_IN_ITEM = 'postgate.sign-in';
