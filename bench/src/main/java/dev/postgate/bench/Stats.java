package dev.postgate.bench;

import java.util.Arrays;
import java.util.List;

/** Percentiles of a sample (values in microseconds), nearest-rank. */
record Stats(int count, double p50, double p95, double p99, double max, double mean) {

    static Stats of(List<Long> micros) {
        long[] sorted = micros.stream().mapToLong(Long::longValue).sorted().toArray();
        if (sorted.length == 0) {
            return new Stats(0, 0, 0, 0, 0, 0);
        }
        return new Stats(sorted.length, rank(sorted, 0.50), rank(sorted, 0.95), rank(sorted, 0.99),
                sorted[sorted.length - 1] / 1000.0, Arrays.stream(sorted).average().orElse(0) / 1000.0);
    }

    private static double rank(long[] sorted, double p) {
        int index = (int) Math.ceil(p * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))] / 1000.0;
    }

    /** A markdown table row: count, p50, p95, p99, max, mean (milliseconds). */
    String row(String label) {
        return String.format("| %s | %d | %.1f | %.1f | %.1f | %.1f | %.1f |", label, count, p50, p95, p99, max, mean);
    }

    static String header(String first) {
        return "| " + first + " | n | p50 ms | p95 ms | p99 ms | max ms | mean ms |\n|---|---|---|---|---|---|---|";
    }
}
