#!/usr/bin/env bash
# Development JWTs. Usage:
#   deploy/local/jwt.sh ensure                         create the key pairs (dashboard, service, GitHub stand-in) when absent
#   deploy/local/jwt.sh token --org ORG [--group admin|member] [--sub USER] [--ttl SECONDS]
#   deploy/local/jwt.sh token --service NAME [--ttl SECONDS]   (at most 300 s)
#   deploy/local/jwt.sh sign-github-report BODY_FILE   sign a secret-scanning report as GitHub would
# Tokens are RS256 with iss=aud=postgate, signed with the keys in deploy/local/jwt.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
GITHUB_SCANNING_KEY_ID="postgate-local-development"

ensure_pair() {
  local prefix="$1"
  if [ ! -f "$JWT_DIR/${prefix}private.pem" ] || [ ! -f "$JWT_DIR/${prefix}public.pem" ]; then
    mkdir -p "$JWT_DIR"
    openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$JWT_DIR/${prefix}private.pem" 2>/dev/null
    openssl pkey -in "$JWT_DIR/${prefix}private.pem" -pubout -out "$JWT_DIR/${prefix}public.pem"
    chmod 600 "$JWT_DIR/${prefix}private.pem"
    info "created development key pair $JWT_DIR/${prefix}{private,public}.pem (development only)"
  fi
}

# A development stand-in for GitHub's secret-scanning signing key (SPEC section 10): an ECDSA P-256
# pair and a keys document in GitHub's format, which the local key-service reads instead of GitHub's.
ensure_github_scanning() {
  local private="$JWT_DIR/github-scanning-private.pem" document="$JWT_DIR/github-scanning-keys.json"
  if [ ! -f "$private" ] || [ ! -f "$document" ]; then
    mkdir -p "$JWT_DIR"
    openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$private" 2>/dev/null
    chmod 600 "$private"
    local pem
    pem="$(openssl pkey -in "$private" -pubout | awk '{printf "%s\\n", $0}')"
    printf '{"public_keys": [{"key_identifier": "%s", "key": "%s", "is_current": true}]}\n' \
      "$GITHUB_SCANNING_KEY_ID" "$pem" >"$document"
    info "created development GitHub secret-scanning pair $private and $document (development only)"
  fi
}

# Signs a report body file as GitHub would: prints the Github-Public-Key-Signature value.
sign_github_report() {
  [ -f "${1:-}" ] || die "usage: $0 sign-github-report BODY_FILE"
  openssl dgst -sha256 -sign "$JWT_DIR/github-scanning-private.pem" "$1" | openssl base64 -A
  echo
}

ensure() { ensure_pair ""; ensure_pair "service-"; ensure_github_scanning; }

b64url() { openssl base64 -A | tr '+/' '-_' | tr -d '='; }

sign() {
  local key="$1" payload="$2" header signing
  header='{"alg":"RS256","typ":"JWT"}'
  signing="$(printf '%s' "$header" | b64url).$(printf '%s' "$payload" | b64url)"
  printf '%s.%s\n' "$signing" "$(printf '%s' "$signing" | openssl dgst -sha256 -sign "$key" -binary | b64url)"
}

token() {
  local org="" group="admin" sub="" service="" ttl=""
  while [ $# -gt 0 ]; do
    case "$1" in
      --org) org="$2"; shift 2 ;;
      --group) group="$2"; shift 2 ;;
      --sub) sub="$2"; shift 2 ;;
      --service) service="$2"; shift 2 ;;
      --ttl) ttl="$2"; shift 2 ;;
      *) die "unknown option $1" ;;
    esac
  done
  ensure >&2
  local now jti
  now="$(date +%s)"
  jti="$(openssl rand -hex 12)"
  if [ -n "$service" ]; then
    ttl="${ttl:-300}"
    [ "$ttl" -le 300 ] || die "service tokens live at most 300 seconds"
    sign "$JWT_DIR/service-private.pem" \
      "{\"iss\":\"postgate\",\"aud\":\"postgate\",\"sub\":\"$service\",\"groups\":[\"service\"],\"iat\":$now,\"exp\":$((now + ttl)),\"jti\":\"$jti\"}"
  else
    [ -n "$org" ] || die "token needs --org ORG_ID (or --service NAME)"
    case "$group" in admin|member) ;; *) die "--group is admin or member" ;; esac
    sub="${sub:-user_dev_$group}"
    ttl="${ttl:-28800}"
    sign "$JWT_DIR/private.pem" \
      "{\"iss\":\"postgate\",\"aud\":\"postgate\",\"sub\":\"$sub\",\"org_id\":\"$org\",\"groups\":[\"$group\"],\"iat\":$now,\"exp\":$((now + ttl)),\"jti\":\"$jti\"}"
  fi
}

case "${1:-}" in
  ensure) ensure ;;
  sign-github-report) shift; sign_github_report "$@" ;;
  token) shift; token "$@" ;;
  *) say "usage: $0 ensure | token --org ORG [--group admin|member] | token --service NAME | sign-github-report BODY_FILE"; exit 2 ;;
esac
