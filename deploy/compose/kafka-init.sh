#!/bin/sh
# One-shot of docker-compose (kafka-init, image apache/kafka), as the broker's admin: creates the
# topics (create-topics.sh), the services' SCRAM users and their ACLs (deploy/kafka-acls.txt),
# then exits. Every step is idempotent, so `docker compose up` may run it again; a changed
# password is applied on the next run.
# Environment: KAFKA_BOOTSTRAP_SERVERS, KAFKA_ADMIN_PASSWORD, and KAFKA_PASSWORD_<USER> for each
# user of the ACL file (KAFKA_PASSWORD_KEY_SERVICE for key-service, ...).
set -eu

BOOTSTRAP="${KAFKA_BOOTSTRAP_SERVERS:-kafka:9092}"
ACLS=/postgate/kafka-acls.txt
KAFKA_COMMAND_CONFIG=/tmp/admin.properties
export KAFKA_COMMAND_CONFIG
cat >"$KAFKA_COMMAND_CONFIG" <<PROPS
security.protocol=SASL_PLAINTEXT
sasl.mechanism=SCRAM-SHA-512
sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="admin" password="$KAFKA_ADMIN_PASSWORD";
PROPS

sh /postgate/create-topics.sh

users="$(grep -v '^[[:space:]]*#' "$ACLS" | awk 'NF { print $1 }' | sort -u)"
for user in $users; do
  variable="KAFKA_PASSWORD_$(printf '%s' "$user" | tr 'a-z-' 'A-Z_')"
  password="$(printenv "$variable" || true)"
  if [ -z "$password" ]; then
    echo "kafka-init: $variable is not set (the SCRAM password of $user)" >&2
    exit 1
  fi
  /opt/kafka/bin/kafka-configs.sh --bootstrap-server "$BOOTSTRAP" --command-config "$KAFKA_COMMAND_CONFIG" \
    --alter --entity-type users --entity-name "$user" --add-config "SCRAM-SHA-512=[password=$password]"
done

grep -v '^[[:space:]]*#' "$ACLS" | awk 'NF' | while read -r user access topic; do
  case "$access" in
    write) operations="--operation Write --operation Describe" ;;
    read) operations="--operation Read --operation Describe" ;;
    *) echo "kafka-init: unknown access '$access' in $ACLS" >&2; exit 1 ;;
  esac
  # shellcheck disable=SC2086 # two options on purpose
  /opt/kafka/bin/kafka-acls.sh --bootstrap-server "$BOOTSTRAP" --command-config "$KAFKA_COMMAND_CONFIG" \
    --add --allow-principal "User:$user" $operations --topic "$topic" --resource-pattern-type literal
done
/opt/kafka/bin/kafka-acls.sh --bootstrap-server "$BOOTSTRAP" --command-config "$KAFKA_COMMAND_CONFIG" --list
