package io.downline.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The benchmark's Markdown report: sections of free lines and tables, then a table of the targets. Printed to stdout
 * with every line prefixed "BENCH | " (so it can be cut out of the Maven log) and written to target/benchmark-report.md.
 */
final class BenchReport {

    record Target(String what, String target, String measured, String verdict) {
    }

    private final List<String> lines = new ArrayList<>();
    private final List<Target> targets = new ArrayList<>();

    synchronized void line(String text) {
        lines.add(text);
    }

    synchronized void section(String title) {
        lines.add("");
        lines.add("## " + title);
        lines.add("");
    }

    synchronized void tableHeader(String... columns) {
        lines.add("| " + String.join(" | ", columns) + " |");
        lines.add("|" + "---|".repeat(columns.length));
    }

    synchronized void row(Object... cells) {
        StringBuilder row = new StringBuilder("|");
        for (Object cell : cells) {
            row.append(' ').append(cell).append(" |");
        }
        lines.add(row.toString());
    }

    synchronized void target(String what, String target, String measured, String verdict) {
        targets.add(new Target(what, target, measured, verdict));
    }

    synchronized List<String> render() {
        List<String> out = new ArrayList<>(lines);
        out.add("");
        out.add("## Targets");
        out.add("");
        out.add("| Target | Goal | Measured | Verdict |");
        out.add("|---|---|---|---|");
        for (Target t : targets) {
            out.add("| " + t.what() + " | " + t.target() + " | " + t.measured() + " | " + t.verdict() + " |");
        }
        return out;
    }

    synchronized void publish(Path file) {
        List<String> out = render();
        StringBuilder text = new StringBuilder();
        System.out.println("BENCH | ---------------- benchmark report begins ----------------");
        for (String line : out) {
            System.out.println("BENCH | " + line);
            text.append(line).append('\n');
        }
        System.out.println("BENCH | ---------------- benchmark report ends ------------------");
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text);
        } catch (IOException e) {
            System.out.println("BENCH | could not write " + file + ": " + e);
        }
    }

    static void progress(String text) {
        System.out.println("BENCH > " + text);
    }

    /** Milliseconds with a precision that suits the size. */
    static String ms(long nanos) {
        double ms = nanos / 1e6;
        if (ms < 10) {
            return String.format(Locale.ROOT, "%.3f", ms);
        }
        if (ms < 1000) {
            return String.format(Locale.ROOT, "%.1f", ms);
        }
        return String.format(Locale.ROOT, "%,.0f", ms);
    }

    static String num(double value) {
        return value >= 100 ? String.format(Locale.ROOT, "%,.0f", value) : String.format(Locale.ROOT, "%.1f", value);
    }

    /** Met when p99 is within the goal; met at the median when only the median is; else missed, by the median's factor. */
    static String latencyVerdict(Samples.Summary s, double goalMs) {
        double median = s.median() / 1e6;
        double p99 = s.p99() / 1e6;
        if (p99 <= goalMs) {
            return "met";
        }
        if (median <= goalMs) {
            return String.format(Locale.ROOT, "met at the median; p99 %.1fx the goal", p99 / goalMs);
        }
        return String.format(Locale.ROOT, "**missed**: median %.1fx the goal", median / goalMs);
    }

    static String atMostVerdict(double measured, double goal, String unit) {
        return measured <= goal ? "met"
                : String.format(Locale.ROOT, "**missed** by %s %s (%.1fx the goal)", num(measured - goal), unit, measured / goal);
    }

    static String atLeastVerdict(double measured, double goal, String unit) {
        return measured >= goal ? "met"
                : String.format(Locale.ROOT, "**missed**: %s %s short (%.0f%% of the goal)", num(goal - measured), unit, 100 * measured / goal);
    }
}
