#!/usr/bin/env bash
# Runs Postgate's benchmarks on this machine and rewrites bench/RESULTS.md with the numbers,
# the machine, the date and the plots. Usage: bench/run.sh [revocation|auth|cold|credits|startup ...]
# (all by default). Settings via JAVA_OPTS, e.g. JAVA_OPTS="-Dbench.revocations=500" bench/run.sh revocation
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source deploy/local/lib.sh

bash deploy/local/infra.sh
bash deploy/local/postgres.sh ensure "${POSTGATE_BENCH_DB_NAME:-postgate_bench}"
command -v wrk >/dev/null 2>&1 || apt_install wrk || die "wrk is needed (Debian package wrk)"
command -v gnuplot >/dev/null 2>&1 || apt_install gnuplot-nox || die "gnuplot is needed for the plots (Debian package gnuplot-nox)"

if [ "${BENCH_SKIP_BUILD:-}" != "1" ]; then
  info "building the services (./mvnw install -DskipTests)"
  ./mvnw -B -q install -DskipTests
fi
./mvnw -B -q -f bench/pom.xml compile dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
mkdir -p bench/results
# shellcheck disable=SC2086
java ${JAVA_OPTS:-} -Dbench.out=bench/results -Dpostgate.test.logs=bench/target/service-logs \
  -cp "bench/target/classes:$(cat bench/target/classpath.txt)" dev.postgate.bench.Bench "$@"
bash bench/report.sh
info "results in bench/RESULTS.md"
