#!/bin/sh
# Entrypoint of docker-compose's kafka service (image apache/kafka): the broker of
# deploy/compose/kafka/server.properties plus this node's advertised listener and the broker's
# own SCRAM credentials (user admin, a super user), storage formatted once with that user
# (kafka-storage --add-scram), then the broker in the foreground.
# Environment: CLUSTER_ID, KAFKA_ADVERTISED_LISTENERS, KAFKA_ADMIN_PASSWORD (no ',', '[', ']', '"').
set -eu

CONFIG=/tmp/postgate-kafka/server.properties
mkdir -p /tmp/postgate-kafka
cp /postgate/kafka/server.properties "$CONFIG"
cat >>"$CONFIG" <<PROPS
advertised.listeners=$KAFKA_ADVERTISED_LISTENERS
listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="admin" password="$KAFKA_ADMIN_PASSWORD";
PROPS
# For the health check: the admin's client settings.
cat >/tmp/postgate-kafka/admin.properties <<PROPS
security.protocol=SASL_PLAINTEXT
sasl.mechanism=SCRAM-SHA-512
sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="admin" password="$KAFKA_ADMIN_PASSWORD";
PROPS

/opt/kafka/bin/kafka-storage.sh format --ignore-formatted -t "$CLUSTER_ID" -c "$CONFIG" \
  --add-scram "SCRAM-SHA-512=[name=admin,password=$KAFKA_ADMIN_PASSWORD]"
exec /opt/kafka/bin/kafka-server-start.sh "$CONFIG"
