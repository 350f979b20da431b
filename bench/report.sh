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
  echo "Assembled $(date -u +%Y-%m-%d) from the sections in bench/results, each as last run. Sections 2 and 4 were rerun last on 2026-12-05 (nineteenth session, 17:26–17:32 UTC) on d9d3364, after this session's issue 17 changes on their paths (the key statuses and the reservation statuses and ledger kinds became enums, the edge asks one more question of a request that is not GET or HEAD, the rate limiter computes Retry-After one way): whoami/health 0.89, spends 2.11× the database ceiling (2,413/s beside 1,084–1,205/s, a slow hour; shown); then section 6 (17:37–17:45) on 78f5a03 (publish's body now passes Bean Validation, generation states are an enum) in the same slow hour: publish p50 14.7 / 17.3 ms and caption 7.5 ms beside a warm whoami of 1.1 ms and health of 2.0 ms, captions 316/s and 344/s (shown), every target met; run right after on stop 41's code (93b4ff1, in a worktree) it read publish p50 15.4 / 18.4 ms, caption 8.2 ms beside whoami 1.1 ms and health 2.4 ms, captions 345/s and 415/s, so no change is seen beyond this hour's noise; then section 1 (17:55–17:58) on the same code: revocation p99 62.7 ms (p50 8.9 ms; shown), and right after on 93b4ff1 in a worktree p99 84.9 ms (p50 9.1 ms), the same in this slow hour. Before that, sections 1, 2 and 4 were rerun on 2026-12-05 (eighteenth session, 15:23–15:30 UTC), then section 6 (15:31–15:35), on e29d454, stop 41's code (issue 17: whoami also answers HEAD, the reserve, settle and refund statements take their statuses, kinds and reasons from constants and read the same, the key caches read workspace events by shared constants, and every 405 carries Allow): revocation p99 23.7 ms, whoami/health 0.84, spends 2.26× the database ceiling (6,537/s beside 2,837–2,937/s; shown), publish p50 10.0 / 12.7 ms and caption 5.3 ms beside a warm whoami of 0.8 ms and health of 1.7 ms (the same ratio to health as stop 40's run: 5.9 for one target), captions 732/s and 772/s. Before that, sections 1 and 4 were rerun on 2026-12-05 (seventeenth session, 13:45–13:55 UTC) on 888f179, after stop 40's id-prefix constants (the same strings, in the revoke, audit, event, reservation and ledger code): revocation p99 19.5 ms, spends 2.27× the database ceiling (6,739/s beside 2,955–2,970/s; shown). Before that, sections 1, 2, 4 and 6 were rerun together on 2026-12-05 (seventeenth session, 13:03–13:20 UTC) on stop 40's code (issue 17: every answer passes a new response filter that puts Location on creates, and API-key endpoints hand the key check the rule the authentication filter already read), each beside its same-run reference, in a fast hour (database ceiling 3,303–3,767/s): revocation p99 33.1 ms, whoami/health 0.85, publish p50 8.2 / 10.8 ms and caption 4.7 ms beside a warm whoami of 0.8 ms, captions 788/s and 851/s. Section 4 read 1.10× the ceiling in that run; run alone on stop 39's code (6dad166, in a worktree) it read 1.16× and then alone on this code 1.28× (shown; 4c), with about twice the spends of stop 39's run against a ceiling three times as high, so the lower ratio is this hour's, not this code's. Before that, sections 1 to 5 and 7 were rerun together on 2026-12-05 (sixteenth session, 10:14–10:39 UTC) on stop 39's code (issue 17: the access annotations, the key status and event names, the edge's Content-Length, the workspace client's reading of answers and the generation settle changed; the reserve and revoke statements' text did not), each beside its same-run reference, in a slow hour (database ceiling 1,059–1,064/s): revocation p99 32.4 ms, spends 1.96× the ceiling, publish p50 12.5 / 14.8 ms and caption 7.1 ms beside a warm whoami of 1.1 ms (the same ratios to whoami as in the previous full run: 11.4 and 6.5), captions 303/s and 345/s, receipts p99 111.6 ms against a target of 175.9. Section 2 read 0.64 in that run (whoami p99 21.6 ms against 13.9 for health) and 0.95 when rerun alone right after (shown), as in the thirteenth session (0.62, then 0.89 and 0.87). Section 3 (cold) missed its 10 ms target in that run (p99 17.6 / 23.7 ms) and when rerun alone (shown: 14.4 / 39.1 ms, cache hits at p50 0.8 ms against 0.3 ms in the previous full run, the JIT still busy at the warm-up's time limit); run right after on the previous session's code (d2feeac, in a worktree) it read p99 27.9 / 29.7 ms with hits at p50 1.0 ms, so the miss is this hour's machine, not this code. Before that, sections 1, 2, 4 and 7 were rerun together on 2026-12-05 (fifteenth session, 08:19–08:33 UTC) on stop 38's final code, each beside its same-run reference, in a slow hour (database ceiling 1,119–1,536/s): revocation p99 45.6 ms, whoami/health 0.95, spends 1.91× the ceiling, receipts p99 93.0 ms against a target of 102.1. Before that, section 4 was rerun on 2026-12-05 (fifteenth session, 06:30–06:58 UTC) after issue 17's stop-38 change to how request bodies are read: three runs on the shared reader alternated with three on the previous code, then one on the final code, which is shown (4b; no change seen, the machine slower than in 4a). Before that, sections 2 and 4 were rerun on 2026-12-05 (fourteenth session, 04:42–05:02 UTC) after issue 17's stop-37 refactoring, which touched the key check's hash and the reservation path: whoami/health 1.00; section 4 alternated three runs on this code with three on the previous code (4a). Before that, all seven were rerun together on 2026-12-05 (thirteenth session, 01:45–02:15 UTC, after issue 17's stop-36 refactoring), each figure beside its same-run references, in an hour when the machine ran about 1.6× slower than in the previous full run (database ceiling 1,906–2,221/s against 3,099–3,344; the minimal app ready in 889 ms against 663). Section 2 was rerun alone twice after it: whoami/health read 0.62 in the full run (whoami p99 18.0 ms against 7.3 for health), then 0.89 and 0.87 alone (the last is shown); nothing on the whoami path changed this session. Section 7 was rerun alone three times (runs X–Z in 7a, Y on the previous session's code in a worktree; the last is shown; the full run's was run W: receipts p99 56.5 ms against a target of 55.3). The previous full run (eleventh session, 2026-12-04 19:37–19:58 UTC, on an idle machine) read: revocation p99 35.5 ms, whoami/health 0.92, cache-miss p99 3.5 / 5.4 ms, spends 2.76× the ceiling, publish p50 5.8 / 7.8 ms, caption 3.3 ms, captions 724/s, ready 3.57–3.88× the minimal app, RSS at rest 214–228 MiB, receipts p99 44.5 ms against a target of 51.0; git history has every earlier RESULTS.md. Every receipts run is in 7a, and the start-up levers have a second and a third series of 2026-12-03 (fifth session) and a fourth of 2026-12-04 (twelfth session), on this project's development machine: $(nproc) cores (${cpu:-unknown CPU}),"
  echo "$(free -g | awk '/Mem:/ {print $2}') GiB RAM, $(uname -sr), $(java -version 2>&1 | head -1)."
  echo "Every service runs as a packaged Quarkus JVM process (runs of 2026-11-23: \`-Xms256m -Xmx512m -XX:+UseG1GC\`; later runs:"
  echo "the local stack's \`-XX:MaxRAM=768m -XX:MaxRAMPercentage=50 -XX:+UseSerialGC\`, from 2026-12-03's third session with \`-XX:TrimNativeHeapInterval=5000\`, and an AppCDS archive per app) against the real"
  echo "PostgreSQL 15 and the real Kafka broker of \`deploy/local\`, all on the same two cores as the load generators,"
  echo "so absolute numbers are modest; ratios and tails are what these runs are for."
  echo
  echo "Rerun: \`bench/run.sh\` (all) or \`bench/run.sh revocation auth\`; see [bench/README.md](README.md) for settings."
  echo
  for name in revocation auth cold credits credits-runs startup startup-levers paid receipts receipts-runs; do
    [ -f "results/$name.md" ] && cat "results/$name.md"
  done
} > RESULTS.md
