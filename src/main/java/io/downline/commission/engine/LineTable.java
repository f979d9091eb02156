package io.downline.commission.engine;

import java.math.BigDecimal;
import java.util.Arrays;

/** The lines of a close in columns (a million members make millions of lines; objects are made only when read). */
final class LineTable {

    private static final Rule[] RULES = Rule.values();

    int size;
    int[] member = new int[1024];
    byte[] rule = new byte[1024];
    long[] amount = new long[1024];
    long[] uncapped = new long[1024];
    int[] level = new int[1024];
    BigDecimal[] rate = new BigDecimal[1024];
    long[] base = new long[1024];
    int[] source = new int[1024];
    long[] units = new long[1024];

    /** Adds a line; {@code level}, {@code source} and {@code units} use -1 for "not applicable". */
    void add(int memberPosition, Rule lineRule, long lineAmount, int lineLevel, BigDecimal lineRate, long lineBase,
            int sourcePosition, long lineUnits) {
        if (size == member.length) {
            int capacity = size * 2;
            member = Arrays.copyOf(member, capacity);
            rule = Arrays.copyOf(rule, capacity);
            amount = Arrays.copyOf(amount, capacity);
            uncapped = Arrays.copyOf(uncapped, capacity);
            level = Arrays.copyOf(level, capacity);
            rate = Arrays.copyOf(rate, capacity);
            base = Arrays.copyOf(base, capacity);
            source = Arrays.copyOf(source, capacity);
            units = Arrays.copyOf(units, capacity);
        }
        member[size] = memberPosition;
        rule[size] = (byte) lineRule.ordinal();
        amount[size] = lineAmount;
        uncapped[size] = lineAmount;
        level[size] = lineLevel;
        rate[size] = lineRate;
        base[size] = lineBase;
        source[size] = sourcePosition;
        units[size] = lineUnits;
        size++;
    }

    CommissionLine line(int k, long[] memberIds, String planVersion, String periodRef) {
        Trace trace = new Trace(planVersion, periodRef, source[k] < 0 ? null : memberIds[source[k]],
                level[k] < 0 ? null : level[k], rate[k], base[k], units[k] < 0 ? null : units[k]);
        return new CommissionLine(memberIds[member[k]], RULES[rule[k]], amount[k], uncapped[k], trace);
    }

    Rule rule(int k) {
        return RULES[rule[k]];
    }
}
