#!/usr/bin/env bash
# Runs Postgate's benchmarks on this machine and rewrites bench/RESULTS.md with the numbers,
# the machine, the date and the plots. Usage: bench/run.sh [revocation|auth|cold|credits|paid|startup|receipts ...]
# (all by default). Settings via JAVA_OPTS, e.g. JAVA_OPTS="-Dbench.revocations=500" bench/run.sh revocation;
# the services' JVM options via BENCH_JVM_OPTS (default: the local stack's, see BenchStack).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source deploy/local/lib.sh

bash deploy/local/infra.sh
bash deploy/local/postgres.sh ensure "${POSTGATE_BENCH_DB_NAME:-postgate_bench}"
command -v wrk >/dev/null 2>&1 || apt_install wrk || die "wrk is needed (Debian package wrk)"
command -v gnuplot >/dev/null 2>&1 || apt_install gnuplot-nox || die "gnuplot is needed for the plots (Debian package gnuplot-nox)"

# Everything through the reactor (profile bench adds bench/ and its reference apps: bench/minimal-app, bench/stack-floor, bench/stack-floor-orm), so that the
# benchmark runs this checkout's services and test support, never what another build installed.
modules=bench,bench/minimal-app,bench/stack-floor,bench/stack-floor-orm
if [ "${BENCH_SKIP_BUILD:-}" != "1" ]; then
  modules="$modules,key-service,workspace-service,publish-service"
  info "building the services, the benchmark and its reference apps (./mvnw -Pbench package -DskipTests)"
fi
./mvnw -B -q -Pbench -pl "$modules" -am package dependency:build-classpath -DskipTests \
  -Dmdep.outputFile=target/classpath.txt -Dmdep.includeScope=runtime
mkdir -p bench/results
# shellcheck disable=SC2086
java ${JAVA_OPTS:-} ${BENCH_JVM_OPTS:+"-Dbench.jvm=$BENCH_JVM_OPTS"} -Dbench.out=bench/results -Dpostgate.test.logs=bench/target/service-logs \
  -cp "bench/target/classes:$(cat bench/target/classpath.txt)" dev.postgate.bench.Bench "$@"
bash bench/report.sh
info "results in bench/RESULTS.md"
