package io.downline.bench;

import static io.downline.bench.BenchReport.ms;
import static io.downline.bench.BenchReport.num;
import static io.downline.bench.BenchReport.progress;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The ledger benchmark's load generators: a closed loop (N threads, each sending its next request when the last one
 * answers: finds the peak) and an open loop (requests started at a fixed rate whatever the answers do, latency counted
 * from the intended start, so queueing in the client shows up too: no coordinated omission).
 */
final class LedgerLoad {

    private LedgerLoad() {
    }

    /** One unit of work; throws on any failure (an error response included). */
    interface Action {
        void run() throws Exception;
    }

    interface Worker extends AutoCloseable {
        void once() throws Exception;

        @Override
        default void close() throws Exception {
        }
    }

    interface WorkerFactory {
        Worker create(int thread) throws Exception;
    }

    /** Latencies in nanoseconds, safe to add from many threads. */
    static final class Latencies {
        private long[] values = new long[4096];
        private int count;

        synchronized void add(long nanos) {
            if (count == values.length) {
                values = Arrays.copyOf(values, count * 2);
            }
            values[count++] = nanos;
        }

        synchronized Stats stats(long windowNanos) {
            long[] sorted = Arrays.copyOf(values, count);
            Arrays.sort(sorted);
            long sum = 0;
            for (long v : sorted) {
                sum += v;
            }
            return new Stats(count, at(sorted, 0.50), at(sorted, 0.95), at(sorted, 0.99), count == 0 ? 0 : sorted[count - 1],
                    count == 0 ? 0 : sum / count, windowNanos);
        }

        private static long at(long[] sorted, double p) {
            if (sorted.length == 0) {
                return 0;
            }
            int rank = (int) Math.ceil(p * sorted.length) - 1;
            return sorted[Math.max(0, Math.min(sorted.length - 1, rank))];
        }
    }

    record Stats(int count, long p50, long p95, long p99, long max, long mean, long windowNanos) {
        double perSecond() {
            return windowNanos == 0 ? 0 : count * 1e9 / windowNanos;
        }

        String latencies() {
            return "p50 " + ms(p50) + " ms, p95 " + ms(p95) + " ms, p99 " + ms(p99) + " ms, max " + ms(max) + " ms";
        }
    }

    /** The database whose PostgreSQL backends CpuMeter counts as this benchmark's. */
    static volatile String database = "";

    record Result(String name, Stats stats, long errors, long totalOk, List<String> errorSamples, String loadBefore, String loadAfter,
            double targetRate, Stats serviceTimes, java.util.Map<String, Double> cpuPerOperation) {
        double throughput() {
            return stats.perSecond();
        }
    }

    /** {@code clients} threads looping their worker: {@code warmup} seconds, then {@code seconds} measured. */
    static Result closedLoop(String name, int clients, int warmup, int seconds, WorkerFactory factory) throws Exception {
        List<Worker> workers = new ArrayList<>();
        for (int t = 0; t < clients; t++) {
            workers.add(factory.create(t));
        }
        String loadBefore = loadAverage();
        progress(name + ": closed loop, " + clients + " clients, " + warmup + " s warm-up, " + seconds + " s measured; load " + loadBefore);
        long start = System.nanoTime();
        long measureFrom = start + TimeUnit.SECONDS.toNanos(warmup);
        long until = measureFrom + TimeUnit.SECONDS.toNanos(seconds);
        Latencies latencies = new Latencies();
        AtomicLong errors = new AtomicLong();
        AtomicLong totalOk = new AtomicLong();
        List<String> errorSamples = Collections.synchronizedList(new ArrayList<>());
        Thread[] threads = new Thread[clients];
        AtomicLong clientCpu = new AtomicLong();
        CpuMeter.Sampler sampler = new CpuMeter.Sampler(database);
        for (int t = 0; t < clients; t++) {
            Worker worker = workers.get(t);
            threads[t] = new Thread(() -> {
                java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
                long cpu0 = mx.getCurrentThreadCpuTime();
                try (worker) {
                    while (true) {
                        long t0 = System.nanoTime();
                        if (t0 >= until) {
                            break;
                        }
                        boolean ok;
                        try {
                            worker.once();
                            ok = true;
                        } catch (Exception e) {
                            ok = false;
                            if (errorSamples.size() < 5) {
                                errorSamples.add(e.toString());
                            }
                        }
                        long t1 = System.nanoTime();
                        if (ok) {
                            totalOk.incrementAndGet();
                        }
                        if (t1 >= measureFrom && t1 <= until) {
                            if (ok) {
                                latencies.add(t1 - t0);
                            } else {
                                errors.incrementAndGet();
                            }
                        }
                    }
                } catch (Exception e) {
                    errorSamples.add("closing: " + e);
                }
                clientCpu.addAndGet(mx.getCurrentThreadCpuTime() - cpu0);
            }, "bench-closed-" + t);
            threads[t].start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        CpuMeter.Snapshot cpuBefore = sampler.first();
        CpuMeter.Snapshot cpuAfter = sampler.finish();
        Result result = new Result(name, latencies.stats(until - measureFrom), errors.get(), totalOk.get(), List.copyOf(errorSamples),
                loadBefore, loadAverage(), 0, null, CpuMeter.perOperation(cpuBefore, cpuAfter, clientCpu.get(), totalOk.get()));
        progress(name + ": " + num(result.throughput()) + "/s, " + result.stats().latencies() + ", errors " + result.errors()
                + (result.errorSamples().isEmpty() ? "" : " " + result.errorSamples()));
        return result;
    }

    /**
     * Starts {@code rate} actions per second, evenly spaced, on a fixed pool of {@code threads} platform threads: a
     * warm-up at the same rate, then {@code seconds} measured. Latency is from the intended start to the answer (what a
     * caller arriving at that moment sees, waiting for a free client thread included); the service time (from the
     * actual start) is kept too.
     */
    static Result openLoop(String name, double rate, int threads, int warmup, int seconds, Action action) throws Exception {
        String loadBefore = loadAverage();
        progress(String.format(Locale.ROOT, "%s: open loop at %.1f/s on %d threads, %d s warm-up, %d s measured; load %s", name, rate, threads,
                warmup, seconds, loadBefore));
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "bench-open");
            t.setDaemon(true);
            return t;
        });
        Latencies latencies = new Latencies();
        Latencies service = new Latencies();
        AtomicLong errors = new AtomicLong();
        AtomicLong totalOk = new AtomicLong();
        AtomicInteger inWindow = new AtomicInteger();
        List<String> errorSamples = Collections.synchronizedList(new ArrayList<>());
        double interval = 1e9 / rate;
        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50);
        long measureFrom = start + TimeUnit.SECONDS.toNanos(warmup);
        long until = measureFrom + TimeUnit.SECONDS.toNanos(seconds);
        try {
            for (long k = 0;; k++) {
                long intended = start + (long) (k * interval);
                if (intended >= until) {
                    break;
                }
                long wait;
                while ((wait = intended - System.nanoTime()) > 0) {
                    LockSupport.parkNanos(wait);
                }
                boolean measured = intended >= measureFrom;
                if (measured) {
                    inWindow.incrementAndGet();
                }
                pool.execute(() -> {
                    long began = System.nanoTime();
                    boolean ok;
                    try {
                        action.run();
                        ok = true;
                    } catch (Exception e) {
                        ok = false;
                        if (errorSamples.size() < 5) {
                            errorSamples.add(e.toString());
                        }
                    }
                    long done = System.nanoTime();
                    if (ok) {
                        totalOk.incrementAndGet();
                    }
                    if (measured) {
                        if (ok) {
                            latencies.add(done - intended);
                            service.add(done - began);
                        } else {
                            errors.incrementAndGet();
                        }
                    }
                });
            }
        } finally {
            pool.shutdown();
        }
        if (!pool.awaitTermination(5, TimeUnit.MINUTES)) {
            pool.shutdownNow();
            errorSamples.add("the open loop's requests did not finish within 5 minutes of its end");
        }
        // throughput of the measured requests over the window they were started in
        Result result = new Result(name, latencies.stats(until - measureFrom), errors.get(), totalOk.get(), List.copyOf(errorSamples),
                loadBefore, loadAverage(), rate, service.stats(until - measureFrom), null);
        progress(name + ": started " + inWindow.get() + " in the window, " + result.stats().latencies() + "; service time "
                + result.serviceTimes().latencies() + ", errors " + result.errors() + (errorSamples.isEmpty() ? "" : " " + errorSamples));
        return result;
    }

    static String loadAverage() {
        try {
            String[] parts = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).trim().split(" ");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (Exception e) {
            return "unknown";
        }
    }
}
