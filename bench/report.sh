#!/usr/bin/env bash
# Assembles bench/RESULTS.md from the sections in bench/results and draws the plots.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
mkdir -p plots

if [ -f results/revocation-latency.dat ] && command -v gnuplot >/dev/null 2>&1; then
  gnuplot <<'PLOT'
set terminal pngcairo size 900,500 font "sans,10"
set output "plots/revocation-latency.png"
set title "Revoke → 401 on every instance (2 × workspace-service, 2 × publish-service)"
set xlabel "latency (ms)"; set ylabel "observations"
set style fill solid 0.8; set boxwidth 0.9 relative; set grid ytics
binwidth = 2
bin(x) = binwidth * floor(x / binwidth) + binwidth / 2.0
plot "results/revocation-latency.dat" using (bin($1)):(1.0) smooth freq with boxes lc rgb "#2451c5" notitle
PLOT
fi
if [ -f results/auth-overhead.dat ] && command -v gnuplot >/dev/null 2>&1; then
  gnuplot <<'PLOT'
set terminal pngcairo size 900,450 font "sans,10"
set output "plots/auth-overhead.png"
set multiplot layout 1,2 title "Authentication overhead (one publish-service instance, wrk)"
set style data histograms; set style fill solid 0.8; set boxwidth 0.7; set grid ytics
set title "throughput"; set ylabel "requests/s"; set yrange [0:*]
plot "results/auth-overhead.dat" using 2:xtic(1) lc rgb "#2451c5" notitle
set title "latency"; set ylabel "ms"; set key top left
plot "results/auth-overhead.dat" using 3:xtic(1) title "p50" lc rgb "#7fa0e8", "" using 4 title "p90" lc rgb "#2451c5", "" using 5 title "p99" lc rgb "#0d2a73"
unset multiplot
PLOT
fi

cpu="$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')"
{
  echo "# Postgate benchmark results"
  echo
  echo "Assembled $(date -u +%Y-%m-%d) from the sections in bench/results, each as last run: all seven rerun together on 2026-12-04 (tenth session, 17:37–18:00 UTC; section 2's ratio, 0.799 and so marked not met, read 0.72 in the full run before and 0.98 in a run of that section alone between the two, the same code for both endpoints: the machine's noise; section 6 rerun alone at 18:42–18:51 UTC after a second fix of the kind, publish's START statement, in a slower hour: health p50 2.4 ms where the full run had 1.6, publish 17.8 / 19.5 ms where it had 8.1 / 9.8, caption 8.9 ms where it had 4.6, captions 415/s and 445/s from wrk where it had 651/s and 725/s) after the fix to the reserve's plan (workspace-service now looks used idempotency keys up by index: before, the plan PostgreSQL kept for the prepared reserve, if made while credit_reservations was small, hashed the whole table on every reserve, and since the ninth session every section starts on an emptied database, on a PostgreSQL whose autovacuum is off here (the machine's conf.d/90-ci.conf), so that plan lasted the whole section; the same session's full run before the fix, 16:57–17:22 UTC, read spends 1,704/s = 0.73× the ceiling, publish p50 23.4 / 27.0 ms, caption 19.0 ms, captions 363/s from Java clients and 379/s from wrk, cache-miss p99 7.0 / 8.7 ms), each beside its same-run references; every receipts run is in 7a, and the start-up levers have a second and a third series of 2026-12-03 (fifth session), on this project's development machine: $(nproc) cores (${cpu:-unknown CPU}),"
  echo "$(free -g | awk '/Mem:/ {print $2}') GiB RAM, $(uname -sr), $(java -version 2>&1 | head -1)."
  echo "Every service runs as a packaged Quarkus JVM process (runs of 2026-11-23: \`-Xms256m -Xmx512m -XX:+UseG1GC\`; later runs:"
  echo "the local stack's \`-XX:MaxRAM=768m -XX:MaxRAMPercentage=50 -XX:+UseSerialGC\`, from 2026-12-03's third session with \`-XX:TrimNativeHeapInterval=5000\`, and an AppCDS archive per app) against the real"
  echo "PostgreSQL 15 and the real Kafka broker of \`deploy/local\`, all on the same two cores as the load generators,"
  echo "so absolute numbers are modest; ratios and tails are what these runs are for."
  echo
  echo "Rerun: \`bench/run.sh\` (all) or \`bench/run.sh revocation auth\`; see [bench/README.md](README.md) for settings."
  echo
  for name in revocation auth cold credits startup startup-levers paid receipts receipts-runs; do
    [ -f "results/$name.md" ] && cat "results/$name.md"
  done
} > RESULTS.md
