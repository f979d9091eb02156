package io.downline.bench;

import java.util.Arrays;

/** Latencies in nanoseconds; not thread-safe (one per thread, merged at the end). */
final class Samples {

    private long[] values = new long[1024];
    private int count;

    void add(long nanos) {
        if (count == values.length) {
            values = Arrays.copyOf(values, count * 2);
        }
        values[count++] = nanos;
    }

    void addAll(Samples other) {
        for (int i = 0; i < other.count; i++) {
            add(other.values[i]);
        }
    }

    int count() {
        return count;
    }

    Summary summary(long wallNanos) {
        long[] sorted = Arrays.copyOf(values, count);
        Arrays.sort(sorted);
        long sum = 0;
        for (long v : sorted) {
            sum += v;
        }
        return new Summary(count, count == 0 ? 0 : percentile(sorted, 0.50), count == 0 ? 0 : percentile(sorted, 0.99),
                count == 0 ? 0 : sorted[count - 1], count == 0 ? 0 : sum / count, wallNanos);
    }

    private static long percentile(long[] sorted, double p) {
        int rank = (int) Math.ceil(p * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank))];
    }

    record Summary(int count, long median, long p99, long max, long mean, long wallNanos) {
        double opsPerSecond() {
            return wallNanos == 0 ? 0 : count * 1e9 / wallNanos;
        }
    }
}
