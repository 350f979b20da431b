#!/usr/bin/env bash
# A real Apache Kafka broker (KRaft, one node) from Maven Central jars, for the local stack
# and the tests. Usage: deploy/local/kafka.sh start|stop|status|topics
# start is idempotent: it reuses a broker already answering on the port (ours or not) and
# fails clearly when something that is not Kafka holds the port.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

BROKER_DIR="$LOCAL_DIR/kafka"
LIBS="$BROKER_DIR/target/libs"
DATA_DIR="$RUN_DIR/kafka"
BOOTSTRAP="127.0.0.1:$KAFKA_PORT"

ensure_libs() {
  if [ ! -f "$LIBS/.complete" ]; then
    info "fetching the Kafka broker from Maven Central (once)"
    mvnw -f "$BROKER_DIR/pom.xml" generate-resources \
      || die "could not fetch the Kafka broker jars (see the Maven output above)"
    touch "$LIBS/.complete"
  fi
}

ensure_topics() {
  java -cp "$LIBS/*" "$BROKER_DIR/EnsureTopics.java" "$BOOTSTRAP" 2>>"$LOG_DIR/kafka-topics.log" \
    | sed 's/^/[postgate] /'
  return "${PIPESTATUS[0]}"
}

write_config() {
  mkdir -p "$DATA_DIR/data"
  cat >"$DATA_DIR/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$KAFKA_CONTROLLER_PORT
listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT
controller.listener.names=CONTROLLER
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
inter.broker.listener.name=PLAINTEXT
log.dirs=$DATA_DIR/data
num.partitions=3
auto.create.topics.enable=false
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
log.retention.hours=168
PROPS
  cat >"$DATA_DIR/log4j2.properties" <<PROPS
appender.file.type=File
appender.file.name=file
appender.file.fileName=$LOG_DIR/kafka.log
appender.file.layout.type=PatternLayout
appender.file.layout.pattern=[%d] %p %m (%c)%n
rootLogger.level=INFO
rootLogger.appenderRef.file.ref=file
logger.kafka.name=kafka
logger.kafka.level=WARN
logger.apache.name=org.apache.kafka
logger.apache.level=WARN
PROPS
}

# ensure_topics_patiently: a few tries, for a broker that is slow to answer on a busy machine.
ensure_topics_patiently() {
  local try
  for try in 1 2 3 4 5; do
    ensure_topics && return 0
    [ "$try" -lt 5 ] && sleep 2
  done
  return 1
}

start() {
  if pid_alive kafka; then
    ensure_topics_patiently || die "our broker (pid $(cat "$PID_DIR/kafka.pid")) runs but does not answer on $BOOTSTRAP"
    info "Kafka already running on $BOOTSTRAP"
    return 0
  fi
  ensure_libs
  if port_open "$KAFKA_PORT"; then
    if ensure_topics_patiently; then
      info "reusing the Kafka broker already answering on $BOOTSTRAP"
      return 0
    fi
    die "port $KAFKA_PORT is taken by something that is not a Kafka broker: $(port_owner "$KAFKA_PORT"). Stop it or set POSTGATE_KAFKA_PORT."
  fi
  port_open "$KAFKA_CONTROLLER_PORT" && die "controller port $KAFKA_CONTROLLER_PORT is taken: $(port_owner "$KAFKA_CONTROLLER_PORT")"
  write_config
  if [ ! -f "$DATA_DIR/data/meta.properties" ]; then
    local cluster_id
    cluster_id="$(java -cp "$LIBS/*" kafka.tools.StorageTool random-uuid)"
    java -cp "$LIBS/*" -Dlog4j2.configurationFile="$DATA_DIR/log4j2.properties" \
      kafka.tools.StorageTool format -t "$cluster_id" -c "$DATA_DIR/server.properties" >>"$LOG_DIR/kafka.log" 2>&1 \
      || die "formatting Kafka storage failed, see $LOG_DIR/kafka.log"
  fi
  info "starting Kafka on $BOOTSTRAP (data in $DATA_DIR, log $LOG_DIR/kafka.log)"
  nohup java -Xms256m -Xmx512m -XX:+UseG1GC -Djava.awt.headless=true \
    -Dlog4j2.configurationFile="$DATA_DIR/log4j2.properties" \
    -cp "$LIBS/*" kafka.Kafka "$DATA_DIR/server.properties" >>"$LOG_DIR/kafka.out" 2>&1 &
  echo $! >"$PID_DIR/kafka.pid"
  # Generous: a JVM start takes a long time on a busy machine.
  wait_for 180 "Kafka" port_open "$KAFKA_PORT" || die "Kafka did not open $BOOTSTRAP within 180 s, see $LOG_DIR/kafka.out"
  ensure_topics_patiently || die "Kafka started but topics could not be created, see $LOG_DIR/kafka-topics.log"
}

status() {
  if pid_alive kafka; then say "kafka: running (pid $(cat "$PID_DIR/kafka.pid")) on $BOOTSTRAP"
  elif port_open "$KAFKA_PORT"; then say "kafka: something else listens on $BOOTSTRAP ($(port_owner "$KAFKA_PORT"))"
  else say "kafka: stopped"; fi
}

case "${1:-}" in
  start) start ;;
  stop) stop_pid kafka ;;
  status) status ;;
  topics) ensure_libs; ensure_topics ;;
  *) say "usage: $0 start|stop|status|topics"; exit 2 ;;
esac
