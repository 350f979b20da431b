#!/bin/sh
# Creates Postgate's Kafka topics (SPEC section 6) on the docker-compose broker, then exits.
# Run by deploy/compose/kafka-init.sh (the kafka-init service of docker-compose.yml, with the
# broker's own image), which sets KAFKA_COMMAND_CONFIG to the admin's SASL settings; creating a
# topic that exists is a no-op, so `docker compose up` may run it again.
# Kubernetes creates the same topics with Strimzi KafkaTopic resources (deploy/k8s/base/kafka-topics.yaml).
set -eu

BOOTSTRAP="${KAFKA_BOOTSTRAP_SERVERS:-kafka:9092}"
TOPICS="postgate.api-keys.v1 postgate.workspaces.v1 postgate.credits.v1 postgate.instances.v1"
PARTITIONS=3
# One broker here, so one replica; seven days of retention as in Kubernetes.
REPLICATION_FACTOR=1
RETENTION_MS=604800000
# The client settings of the admin (SASL/SCRAM); none against a broker without authentication.
set -- ${KAFKA_COMMAND_CONFIG:+--command-config "$KAFKA_COMMAND_CONFIG"}

for topic in $TOPICS; do
  /opt/kafka/bin/kafka-topics.sh --bootstrap-server "$BOOTSTRAP" "$@" --create --if-not-exists \
    --topic "$topic" --partitions "$PARTITIONS" --replication-factor "$REPLICATION_FACTOR" \
    --config "retention.ms=$RETENTION_MS"
done
/opt/kafka/bin/kafka-topics.sh --bootstrap-server "$BOOTSTRAP" "$@" --describe --exclude-internal
