package io.downline.commission.engine;

import java.util.List;

/** The lines a paid order earns at once, and the upline members it passed over. */
public record InstantResult(List<CommissionLine> lines, List<SkippedUpline> skipped) {

    public InstantResult {
        lines = List.copyOf(lines);
        skipped = List.copyOf(skipped);
    }

    public long totalMinor() {
        return lines.stream().mapToLong(CommissionLine::amountMinor).sum();
    }
}
