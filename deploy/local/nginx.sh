#!/usr/bin/env bash
# nginx as the local base URL (SPEC section 1), run from the checkout, not as a system service.
# Usage: deploy/local/nginx.sh start|stop|status
#
# Renders deploy/local/nginx.conf.template (which includes deploy/nginx/routes.conf and logging.conf) into
# $RUN_DIR/nginx/nginx.conf; pid, temp files and logs ($LOG_DIR/nginx-*.log) stay under $RUN_DIR.
# Environment: POSTGATE_PROXY_PORT (8080), KEY_SERVICE_UPSTREAM (127.0.0.1:8081),
# WORKSPACE_SERVICE_UPSTREAM (127.0.0.1:8082), PUBLISH_SERVICE_UPSTREAM (127.0.0.1:8083): each
# one host:port or several separated by commas; POSTGATE_RUN_DIR for a second, independent proxy.
# start is idempotent: on a running proxy it re-renders the configuration and reloads it.
set -euo pipefail
# shellcheck source=deploy/local/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
shopt -u patsub_replacement 2>/dev/null || true  # bash 5.2: keep "&" literal in ${x//p/r}

NGINX_DIR="$RUN_DIR/nginx"
CONF="$NGINX_DIR/nginx.conf"
TEMPLATE="$LOCAL_DIR/nginx.conf.template"
ROUTES_FILE="$ROOT_DIR/deploy/nginx/routes.conf"
LOGGING_FILE="$ROOT_DIR/deploy/nginx/logging.conf"
KEY_SERVICE_UPSTREAM="${KEY_SERVICE_UPSTREAM:-127.0.0.1:8081}"
WORKSPACE_SERVICE_UPSTREAM="${WORKSPACE_SERVICE_UPSTREAM:-127.0.0.1:8082}"
PUBLISH_SERVICE_UPSTREAM="${PUBLISH_SERVICE_UPSTREAM:-127.0.0.1:8083}"
BASE_URL="http://127.0.0.1:$PROXY_PORT"
NGINX=""

find_nginx() {
  NGINX="$(command -v nginx 2>/dev/null || true)"
  [ -n "$NGINX" ] || { [ -x /usr/sbin/nginx ] && NGINX=/usr/sbin/nginx; } || true
}

ensure_nginx() {
  find_nginx
  [ -n "$NGINX" ] && return 0
  info "nginx is not installed; installing it from Debian (log: $LOG_DIR/apt.log)"
  apt_install nginx-light || apt_install nginx \
    || die "could not install nginx (needs apt-get and root or passwordless sudo): install the Debian package nginx-light or nginx yourself"
  find_nginx
  [ -n "$NGINX" ] || die "nginx was installed but no nginx binary is on PATH or in /usr/sbin"
}

# upstream_servers "h:p,h:p": the server lines of an upstream block.
upstream_servers() {
  local list="${1//,/ }" server out=""
  for server in $list; do out+="        server $server;"$'\n'; done
  printf '%s' "${out%$'\n'}"
}

# The placeholders are literal text, hence the single quotes in the patterns.
# shellcheck disable=SC2016
render() {
  local text user_line upstream
  for upstream in KEY_SERVICE_UPSTREAM WORKSPACE_SERVICE_UPSTREAM PUBLISH_SERVICE_UPSTREAM; do
    [ -n "${!upstream//[, ]/}" ] || die "$upstream is empty (host:port, or several separated by commas)"
  done
  text="$(cat "$TEMPLATE")"
  if [ "$(id -u)" -eq 0 ]; then
    # Workers would otherwise switch to nobody, who may not write the temp directories
    # under the checkout or even reach them; this nginx only listens on 127.0.0.1.
    user_line="user root;"
  else
    user_line="# (not root: the workers run as $(id -un), who owns $NGINX_DIR)"
  fi
  text="${text//'${NGINX_USER}'/$user_line}"
  text="${text//'${PID_FILE}'/$PID_DIR/nginx.pid}"
  text="${text//'${LOG_DIR}'/$LOG_DIR}"
  text="${text//'${NGINX_DIR}'/$NGINX_DIR}"
  text="${text//'${PROXY_PORT}'/$PROXY_PORT}"
  text="${text//'${ROUTES_FILE}'/$ROUTES_FILE}"
  text="${text//'${LOGGING_FILE}'/$LOGGING_FILE}"
  text="${text//'${KEY_SERVICE_SERVERS}'/$(upstream_servers "$KEY_SERVICE_UPSTREAM")}"
  text="${text//'${WORKSPACE_SERVICE_SERVERS}'/$(upstream_servers "$WORKSPACE_SERVICE_UPSTREAM")}"
  text="${text//'${PUBLISH_SERVICE_SERVERS}'/$(upstream_servers "$PUBLISH_SERVICE_UPSTREAM")}"
  mkdir -p "$NGINX_DIR"/temp/{client_body,proxy,fastcgi,uwsgi,scgi}
  printf '%s\n' "$text" >"$1"
}

# nginx with our prefix and configuration; -e keeps even start-up errors out of /var/log.
run_nginx() {
  local args=(-p "$NGINX_DIR/" -c "$1")
  "$NGINX" -h 2>&1 | grep -q -- '-e filename' && args+=(-e "$LOG_DIR/nginx-error.log")
  shift
  "$NGINX" "${args[@]}" "$@"
}

healthy() { curl -fsS -m 2 -o /dev/null "$BASE_URL/health"; }

start() {
  ensure_nginx
  if pid_alive nginx; then
    render "$CONF.new"
    run_nginx "$CONF.new" -t -q || die "the new nginx configuration is invalid; the running proxy keeps the old one"
    mv "$CONF.new" "$CONF"
    kill -HUP "$(cat "$PID_DIR/nginx.pid")"
    info "nginx already running on $BASE_URL (pid $(cat "$PID_DIR/nginx.pid")); configuration reloaded"
    return 0
  fi
  if port_open "$PROXY_PORT"; then
    die "port $PROXY_PORT is taken by something else: $(port_owner "$PROXY_PORT"). Stop it or set POSTGATE_PROXY_PORT."
  fi
  render "$CONF"
  run_nginx "$CONF" -t -q || die "invalid nginx configuration $CONF (see above and $LOG_DIR/nginx-error.log)"
  info "starting nginx on $BASE_URL (config $CONF, logs $LOG_DIR/nginx-*.log)"
  run_nginx "$CONF" || die "nginx did not start, see $LOG_DIR/nginx-error.log"
  wait_for 5 "nginx's process" pid_alive nginx || die "nginx wrote no pid file $PID_DIR/nginx.pid, see $LOG_DIR/nginx-error.log"
  wait_for 10 "nginx" healthy \
    || die "nginx does not answer $BASE_URL/health; last errors: $(tail -n 5 "$LOG_DIR/nginx-error.log" 2>/dev/null)"
}

status() {
  if pid_alive nginx; then
    if healthy; then say "nginx: running (pid $(cat "$PID_DIR/nginx.pid")) on $BASE_URL, /health UP"
    else say "nginx: running (pid $(cat "$PID_DIR/nginx.pid")) but $BASE_URL/health does not answer"; fi
  elif port_open "$PROXY_PORT"; then say "nginx: not ours; something else listens on port $PROXY_PORT ($(port_owner "$PROXY_PORT"))"
  else say "nginx: stopped"; fi
}

case "${1:-}" in
  start) start ;;
  stop) if pid_alive nginx; then stop_pid nginx; else rm -f "$PID_DIR/nginx.pid"; info "nginx is not running"; fi ;;
  status) status ;;
  *) say "usage: $0 start|stop|status"; exit 2 ;;
esac
