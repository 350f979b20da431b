# Shared helpers for the deploy/local scripts. Sourced, never run.
# Every script works from any current directory and on a fresh clone.

LOCAL_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT_DIR="$(cd "$LOCAL_DIR/../.." && pwd)"
RUN_DIR="${POSTGATE_RUN_DIR:-$LOCAL_DIR/run}"
LOG_DIR="$RUN_DIR/logs"
PID_DIR="$RUN_DIR/pids"
JWT_DIR="${POSTGATE_JWT_DIR:-$LOCAL_DIR/jwt}"
mkdir -p "$LOG_DIR" "$PID_DIR"

KAFKA_PORT="${POSTGATE_KAFKA_PORT:-9092}"
KAFKA_CONTROLLER_PORT="${POSTGATE_KAFKA_CONTROLLER_PORT:-9093}"
PG_HOST="${POSTGATE_DB_HOST:-127.0.0.1}"
PG_PORT="${POSTGATE_DB_PORT:-5432}"
PROXY_PORT="${POSTGATE_PROXY_PORT:-8080}"

say()  { printf '%s\n' "$*"; }
info() { printf '[postgate] %s\n' "$*"; }
die()  { printf '[postgate] error: %s\n' "$*" >&2; exit 1; }

# port_open PORT: true when something accepts TCP connections on 127.0.0.1:PORT.
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# port_owner PORT: what listens there, for error messages.
port_owner() { ss -ltnpH "sport = :$1" 2>/dev/null | sed -E 's/.*users:\(\((.*)\)\).*/\1/' | head -1; }

# pid_alive NAME: the process recorded in $PID_DIR/NAME.pid is running.
pid_alive() {
  local f="$PID_DIR/$1.pid"
  [ -f "$f" ] && kill -0 "$(cat "$f")" 2>/dev/null
}

# stop_pid NAME: stop the recorded process (TERM, then KILL after 20 s).
stop_pid() {
  local f="$PID_DIR/$1.pid" pid
  [ -f "$f" ] || return 0
  pid="$(cat "$f")"
  if kill -0 "$pid" 2>/dev/null; then
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 200); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && kill -9 "$pid" 2>/dev/null
    info "stopped $1 (pid $pid)"
  fi
  rm -f "$f"
}

# wait_for SECONDS DESCRIPTION COMMAND...: poll until COMMAND succeeds.
wait_for() {
  local secs="$1" what="$2"; shift 2
  local deadline=$(( $(date +%s) + secs ))
  until "$@" >/dev/null 2>&1; do
    [ "$(date +%s)" -ge "$deadline" ] && return 1
    sleep 0.3
  done
  info "$what is up"
}

# apt_install PACKAGE...: install Debian packages when missing and possible.
apt_install() {
  command -v apt-get >/dev/null 2>&1 || return 1
  if [ -n "${POSTGATE_NO_INSTALL:-}" ]; then
    # Set for test JVMs (the parent pom): tests install nothing, deploy/local/test-tools.sh installs before them.
    info "not installing $* from a test (POSTGATE_NO_INSTALL): deploy/local/test-tools.sh installs what tests use"
    return 1
  fi
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo -n"
  info "installing Debian packages: $*"
  # Another install running (CI installs test tools in the background) is waited for, not failed on.
  local wait=(-o DPkg::Lock::Timeout=600)
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get "${wait[@]}" install -y -qq "$@" >>"$LOG_DIR/apt.log" 2>&1 && return 0
  $sudo apt-get "${wait[@]}" update -qq >>"$LOG_DIR/apt.log" 2>&1 || return 1
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get "${wait[@]}" install -y -qq "$@" >>"$LOG_DIR/apt.log" 2>&1
}

mvnw() { "$ROOT_DIR/mvnw" -B -q "$@"; }
