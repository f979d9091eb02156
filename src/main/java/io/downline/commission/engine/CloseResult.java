package io.downline.commission.engine;

import java.util.AbstractList;
import java.util.List;

/**
 * What a period close computed: the lines to pay and the state the next period starts from. Arrays are indexed like
 * the snapshot's.
 */
public final class CloseResult {

    private final PeriodSnapshot snapshot;
    private final String planVersion;
    private final LineTable lines;
    private final long[] carryLeft;
    private final long[] carryRight;
    private final long[] flushedLeft;
    private final long[] flushedRight;
    private final boolean[] pairedBefore;
    private final int[] paidAsRank;
    private final int[] highestRank;
    private final CapOutcome cap;
    private final long companyBv;

    CloseResult(PeriodSnapshot snapshot, String planVersion, LineTable lines, long[] carryLeft, long[] carryRight,
            long[] flushedLeft, long[] flushedRight, boolean[] pairedBefore, int[] paidAsRank, int[] highestRank,
            CapOutcome cap, long companyBv) {
        this.snapshot = snapshot;
        this.planVersion = planVersion;
        this.lines = lines;
        this.carryLeft = carryLeft;
        this.carryRight = carryRight;
        this.flushedLeft = flushedLeft;
        this.flushedRight = flushedRight;
        this.pairedBefore = pairedBefore;
        this.paidAsRank = paidAsRank;
        this.highestRank = highestRank;
        this.cap = cap;
        this.companyBv = companyBv;
    }

    public PeriodSnapshot snapshot() {
        return snapshot;
    }

    public String planVersion() {
        return planVersion;
    }

    /** The lines in a stable order (binary, matching, pool; by position within each); each made when read. */
    public List<CommissionLine> lines() {
        return new AbstractList<>() {
            @Override
            public CommissionLine get(int index) {
                if (index < 0 || index >= lines.size) {
                    throw new IndexOutOfBoundsException(index);
                }
                return lines.line(index, snapshot.memberId(), planVersion, snapshot.periodRef());
            }

            @Override
            public int size() {
                return lines.size;
            }
        };
    }

    public int lineCount() {
        return lines.size;
    }

    /** What each member is paid by this close (after the cap), indexed by position. */
    public long[] payoutByMember() {
        long[] total = new long[snapshot.size()];
        for (int k = 0; k < lines.size; k++) {
            total[lines.member[k]] += lines.amount[k];
        }
        return total;
    }

    /** Total paid under one rule, after the cap. */
    public long totalMinor(Rule rule) {
        long total = 0;
        for (int k = 0; k < lines.size; k++) {
            if (lines.rule(k) == rule) {
                total += lines.amount[k];
            }
        }
        return total;
    }

    public long totalPaidMinor() {
        return cap.paidMinor();
    }

    public long[] carryLeft() {
        return carryLeft.clone();
    }

    public long[] carryRight() {
        return carryRight.clone();
    }

    /** Binary volume flushed in the period (cap excess, over the carry limit, or unqualified). */
    public long[] flushedLeft() {
        return flushedLeft.clone();
    }

    public long[] flushedRight() {
        return flushedRight.clone();
    }

    public boolean[] pairedBefore() {
        return pairedBefore.clone();
    }

    /** The rank each member is paid as in this period (-1 for none). */
    public int[] paidAsRank() {
        return paidAsRank.clone();
    }

    /** Highest rank achieved, this period included; it never goes down. */
    public int[] highestRank() {
        return highestRank.clone();
    }

    public CapOutcome cap() {
        return cap;
    }

    public long companyBv() {
        return companyBv;
    }
}
