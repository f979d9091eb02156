package io.downline.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Where the CPU went during a load phase: this JVM's threads by role (the application's Vert.x event loops and worker
 * threads, the load generator's threads and HttpClient internals, the rest of the JVM: GC, JIT, ...), the PostgreSQL
 * backends serving this database, PostgreSQL's own background processes, other databases' backends (other engineers),
 * and the whole machine. Linux only (/proc); processes that start and end inside the window are missed.
 */
final class CpuMeter {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final double TICK_NANOS = 1e9 / 100; // USER_HZ
    /** pgbench's client, also when Debian's pg_wrapper started it as /usr/lib/postgresql/NN/bin/pgbench. */
    private static final java.util.regex.Pattern PGBENCH = java.util.regex.Pattern.compile("^(\\S*/)?pgbench ");

    private CpuMeter() {
    }

    record Snapshot(long at, long processCpu, Map<Long, String> names, Map<Long, Long> threadCpu, Map<String, Long> pgNanos, long machineBusy,
            long machineTotal) {
    }

    static Snapshot take(String database) {
        Map<Long, String> names = new HashMap<>();
        Map<Long, Long> cpu = new HashMap<>();
        long[] ids = THREADS.getAllThreadIds();
        ThreadInfo[] infos = THREADS.getThreadInfo(ids);
        for (int i = 0; i < ids.length; i++) {
            if (infos[i] != null) {
                names.put(ids[i], infos[i].getThreadName());
                cpu.put(ids[i], THREADS.getThreadCpuTime(ids[i]));
            }
        }
        long processCpu = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
        Map<String, Long> pg = new HashMap<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            procs.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit)).forEach(p -> {
                try {
                    String cmdline = new String(Files.readAllBytes(p.resolve("cmdline")), StandardCharsets.UTF_8).replace('\0', ' ').trim();
                    if (!cmdline.startsWith("postgres:") && !cmdline.startsWith("/usr/lib/postgresql") && !PGBENCH.matcher(cmdline).find()) {
                        return;
                    }
                    // the scheduler's on-CPU nanoseconds: exact, where the tick counts of /proc/<pid>/stat are samples
                    long nanos = Long.parseLong(Files.readString(p.resolve("schedstat")).trim().split(" ")[0]);
                    String key = p.getFileName() + "|" + category(cmdline, database);
                    pg.put(key, nanos);
                } catch (IOException | RuntimeException e) {
                    // the process ended meanwhile
                }
            });
        } catch (IOException e) {
            // no /proc: leave the PostgreSQL part empty
        }
        long busy = 0;
        long total = 0;
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            for (int i = 1; i < f.length && i <= 8; i++) {
                long v = Long.parseLong(f[i]);
                total += v;
                if (i != 4 && i != 5) { // idle, iowait
                    busy += v;
                }
            }
        } catch (IOException | RuntimeException e) {
            // leave zero
        }
        return new Snapshot(System.nanoTime(), processCpu, names, cpu, pg, busy, total);
    }

    private static String category(String cmdline, String database) {
        if (PGBENCH.matcher(cmdline).find()) {
            return "pgbench client process";
        }
        if (cmdline.contains(" " + database + " ")) {
            return "PostgreSQL backends of this database";
        }
        if (cmdline.matches("postgres: .*(walwriter|checkpointer|background writer|autovacuum|archiver|logical replication|stats|walsender|walreceiver).*")
                || cmdline.startsWith("/usr/lib/postgresql")) {
            return "PostgreSQL server processes (WAL writer, checkpointer, autovacuum, ...)";
        }
        return "PostgreSQL backends of other databases (other users of the server)";
    }

    /**
     * Snapshots every 250 ms while a phase runs, so that processes which end before the phase does (a JDBC client's
     * backend closed with its connection, pgbench's backends) keep the on-CPU time last seen for them.
     */
    static final class Sampler {
        private final String database;
        private final Snapshot first;
        private final Map<String, Long> seen = new HashMap<>();
        private final Thread thread;
        private volatile boolean stop;

        Sampler(String database) {
            this.database = database;
            this.first = take(database);
            seen.putAll(first.pgNanos());
            thread = new Thread(() -> {
                while (!stop) {
                    try {
                        Thread.sleep(250);
                    } catch (InterruptedException e) {
                        return;
                    }
                    Snapshot s = take(database);
                    synchronized (seen) {
                        seen.putAll(s.pgNanos());
                    }
                }
            }, "cpu-sampler");
            thread.setDaemon(true);
            thread.start();
        }

        Snapshot first() {
            return first;
        }

        /** The last snapshot, with every PostgreSQL process seen during the phase at its last seen time. */
        Snapshot finish() throws InterruptedException {
            stop = true;
            thread.interrupt();
            thread.join();
            Snapshot last = take(database);
            Map<String, Long> pg = new HashMap<>();
            synchronized (seen) {
                pg.putAll(seen);
            }
            pg.putAll(last.pgNanos());
            return new Snapshot(last.at(), last.processCpu(), last.names(), last.threadCpu(), pg, last.machineBusy(), last.machineTotal());
        }
    }

    private static String role(String thread) {
        if (thread.startsWith("vert.x-eventloop-thread")) {
            return "JVM: application, Vert.x event loops (HTTP server, REST, JWT, JSON, reactive PostgreSQL client)";
        }
        if (thread.startsWith("executor-thread") || thread.startsWith("vert.x-worker-thread") || thread.startsWith("vert.x-internal-blocking")) {
            return "JVM: application, worker threads";
        }
        if (thread.contains("HttpClient") || thread.startsWith("bench-")) {
            return "JVM: load generator (client threads, HttpClient internals, JDBC clients)";
        }
        return "JVM: other named threads";
    }

    /**
     * CPU milliseconds per operation by category between two snapshots. {@code exitedClientCpu}: CPU of the load
     * generator's threads that ended before the second snapshot (they cannot be read afterwards).
     */
    static Map<String, Double> perOperation(Snapshot a, Snapshot b, long exitedClientCpu, long operations) {
        Map<String, Long> nanos = new LinkedHashMap<>();
        nanos.put("JVM: application, Vert.x event loops (HTTP server, REST, JWT, JSON, reactive PostgreSQL client)", 0L);
        nanos.put("JVM: application, worker threads", 0L);
        nanos.put("JVM: load generator (client threads, HttpClient internals, JDBC clients)", exitedClientCpu);
        nanos.put("JVM: other named threads", 0L);
        for (Map.Entry<Long, Long> t : b.threadCpu().entrySet()) {
            long before = a.threadCpu().getOrDefault(t.getKey(), 0L);
            if (t.getValue() < 0 || before < 0) {
                continue;
            }
            nanos.merge(role(b.names().get(t.getKey())), t.getValue() - before, Long::sum);
        }
        long named = nanos.values().stream().mapToLong(Long::longValue).sum();
        nanos.put("JVM: GC, JIT and other unnamed work", Math.max(0, (b.processCpu() - a.processCpu()) - named));
        for (Map.Entry<String, Long> p : b.pgNanos().entrySet()) {
            long before = a.pgNanos().getOrDefault(p.getKey(), 0L);
            nanos.merge(p.getKey().substring(p.getKey().indexOf('|') + 1), p.getValue() - before, Long::sum);
        }
        long pg = 0;
        for (Map.Entry<String, Long> e : nanos.entrySet()) {
            if (e.getKey().startsWith("PostgreSQL")) {
                pg += e.getValue();
            }
        }
        long busy = (long) ((b.machineBusy() - a.machineBusy()) * TICK_NANOS);
        nanos.put("Machine: everything else (other engineers' builds and tests, OS, kernel work not charged to a process above)",
                Math.max(0, busy - (b.processCpu() - a.processCpu()) - pg));
        nanos.put("Machine: all busy CPU (all processes, other engineers' included)", (long) ((b.machineBusy() - a.machineBusy()) * TICK_NANOS));
        nanos.put("Machine: capacity (all cores x wall time)", (long) ((b.machineTotal() - a.machineTotal()) * TICK_NANOS));
        Map<String, Double> out = new LinkedHashMap<>();
        nanos.forEach((k, v) -> out.put(k, v / 1e6 / Math.max(1, operations)));
        return out;
    }
}
