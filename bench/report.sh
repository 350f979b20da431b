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
  echo "Assembled $(date -u +%Y-%m-%d) from the sections in bench/results, each as last run: all seven rerun together on 2026-12-04 (eleventh session, 19:37–19:58 UTC, on a machine started ten minutes before and otherwise idle), each figure beside its same-run references; section 7 was rerun alone at 20:58 UTC after the session's last change on the receipt path (run V in 7a; the full run's section 7 is run S: receipts p99 44.5 ms against a target of 51.0). Section 5 was rerun alone at 23:34–23:40 UTC (twelfth session, 5 starts per app; two floor apps joined its table this session), on a machine then running slower (the minimal app ready in 1,109 ms against 663 in the full run; the services about 1.8× slower), so its figures compare only within its own table; the session's earlier 5-start run (23:04 UTC) read: floors 3.07× and 1.91×, services 3.72–4.23×; the full run's section 5 read: ready 3.57–3.88× the minimal app, RSS at rest 214–228 MiB, under load 257–266 MiB. The previous full run (tenth session, 17:37–18:00 UTC, the same service code but for one receipt fix, in a busier hour) read: revocation p99 33.5 ms, whoami/health 0.80, cache-miss p99 6.5 / 7.5 ms, spends 1.70× the ceiling, publish p50 8.1 / 9.8 ms, caption 4.6 ms, captions 651/s, ready 4.9–5.7× the minimal app, receipts p99 70.4 ms against a target of 63.9; git history has every earlier RESULTS.md. Every receipts run is in 7a, and the start-up levers have a second and a third series of 2026-12-03 (fifth session) and a fourth of 2026-12-04 (twelfth session), on this project's development machine: $(nproc) cores (${cpu:-unknown CPU}),"
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
