#!/usr/bin/env bash
# The tools some integration tests use beyond Java, PostgreSQL and Kafka, installed before the tests
# run so that no test installs anything (issue 17): the integration-tests build runs this script
# (exec-maven-plugin, process-test-resources) and .ci/run starts it early, in the background.
#   - Debian packages, when missing and installable (root or passwordless sudo): curl, docker-compose,
#     nginx, npm (with node), chromium and chromium-driver;
#   - the pinned npm packages of integration-tests/src/test/resources/{k8s-validate,redocly}
#     (npm ci into integration-tests/target/<name>, again only when the lock file changed).
# What cannot be installed is reported, not fatal: the tests that need it then skip, saying so.
# Idempotent and quick when all is there; two runs at once take turns (flock).
# Usage: deploy/local/test-tools.sh
set -euo pipefail
# shellcheck source=deploy/local/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

mkdir -p "$ROOT_DIR/integration-tests/target"
exec 9>"$ROOT_DIR/integration-tests/target/.test-tools.lock"
flock 9

missing=()
command -v curl >/dev/null 2>&1 || missing+=(curl)
command -v docker-compose >/dev/null 2>&1 || missing+=(docker-compose)
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing+=(nginx-light)
command -v npm >/dev/null 2>&1 || missing+=(npm)
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ -x /usr/bin/chromedriver ] || missing+=(chromium-driver)
if [ "${#missing[@]}" -gt 0 ]; then
  apt_install "${missing[@]}" || info "could not install ${missing[*]} (needs apt-get and root or passwordless sudo): the tests that need them skip"
fi

# npm ci when package-lock.json changed since the last install (its sha256 is kept beside node_modules).
if command -v npm >/dev/null 2>&1; then
  for name in k8s-validate redocly; do
    src="$ROOT_DIR/integration-tests/src/test/resources/$name"
    dir="$ROOT_DIR/integration-tests/target/$name"
    mkdir -p "$dir"
    cp "$src/package.json" "$src/package-lock.json" "$dir/"
    stamp="$(cat "$dir/package.json" "$dir/package-lock.json" | sha256sum | cut -d' ' -f1)"
    if [ "$(cat "$dir/node_modules/.postgate-stamp" 2>/dev/null || true)" != "$stamp" ]; then
      info "npm ci in integration-tests/target/$name"
      (cd "$dir" && npm ci --no-audit --no-fund >"$LOG_DIR/npm-$name.log" 2>&1) \
        || { info "npm ci in $dir failed (log: $LOG_DIR/npm-$name.log)"; continue; }
      printf '%s' "$stamp" >"$dir/node_modules/.postgate-stamp"
    fi
  done
else
  info "npm is not installed: the tests that run node skip"
fi
