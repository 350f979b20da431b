#!/usr/bin/env bash
# What the tests and the stack need underneath the services: PostgreSQL with Postgate's role
# and databases, a Kafka broker with Postgate's topics, and the development JWT key pairs.
# Idempotent and quick when everything is already there. Usage: deploy/local/infra.sh
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
"$here/postgres.sh" ensure
"$here/kafka.sh" start
"$here/jwt.sh" ensure
