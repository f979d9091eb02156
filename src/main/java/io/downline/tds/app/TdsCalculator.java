package io.downline.tds.app;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import io.downline.tax.api.FinancialYear;
import io.downline.tds.api.TdsRules;

/**
 * TDS on commission credits to one deductee within one financial year: the yearly threshold with catch-up of earlier
 * untaxed credits, and recovery of the tax from credits without ever making a credit's net negative.
 */
public final class TdsCalculator {

    private static final BigDecimal ZERO = BigDecimal.ZERO.setScale(2);

    private final TdsRules rules;

    public TdsCalculator(TdsRules rules) {
        this.rules = Objects.requireNonNull(rules, "rules");
    }

    /** One commission credit to a deductee, ex-GST gross. creditId is the caller's id of the credit. */
    public record Credit(long creditId, LocalDate creditedOn, BigDecimal gross) {
        public Credit {
            Objects.requireNonNull(creditedOn, "creditedOn");
            gross = inPaise(gross, "gross");
            if (gross.signum() <= 0) {
                throw new IllegalArgumentException("credit " + creditId + " gross must be positive: " + gross);
            }
        }
    }

    /**
     * The deductee's FY state before this call: gross credited so far, whether the threshold was already crossed, tax
     * computed but not yet recovered from the deductee, and earlier credits of this FY that carry no tax yet (in
     * credit order).
     */
    public record YearState(FinancialYear year, BigDecimal creditedGross, boolean thresholdCrossed,
            BigDecimal outstandingTax, List<Credit> untaxed) {
        public YearState {
            Objects.requireNonNull(year, "year");
            creditedGross = inPaise(creditedGross, "creditedGross");
            outstandingTax = inPaise(outstandingTax, "outstandingTax");
            untaxed = List.copyOf(untaxed);
            if (creditedGross.signum() < 0 || outstandingTax.signum() < 0) {
                throw new IllegalArgumentException("credited gross and outstanding tax cannot be negative");
            }
            if (thresholdCrossed && !untaxed.isEmpty()) {
                throw new IllegalArgumentException("once the threshold is crossed no credit stays untaxed");
            }
            untaxed.forEach(credit -> requireWithin(year, credit));
        }

        public static YearState empty(FinancialYear year) {
            return new YearState(year, ZERO, false, ZERO, List.of());
        }
    }

    /**
     * One deduction line of the tax ledger. taxedCreditId: the credit whose gross is taxed; withCreditId: the credit
     * at which it was deducted (differs for catch-up lines). creditedOn, gross and ratePercent are the taxed credit's;
     * section and quarter are those of the deduction.
     */
    public record TaxLine(long taxedCreditId, long withCreditId, LocalDate creditedOn, BigDecimal gross,
            BigDecimal ratePercent, BigDecimal tax, String section, int quarter, boolean catchUp) {
    }

    /**
     * recovered: per credit id, how much tax is taken from that credit's amount (never more than the credit's gross).
     */
    public record Outcome(List<TaxLine> lines, Map<Long, BigDecimal> recovered, YearState after) {
        public Outcome {
            lines = List.copyOf(lines);
            // keeps posting order, which Map.copyOf would not
            recovered = Collections.unmodifiableMap(new LinkedHashMap<>(recovered));
        }
    }

    /**
     * Applies credits in the order they are posted. credits must all fall in before.year(); their dates need not be
     * ascending, because the posting order decides which credit crosses the threshold. Every credit of the call gets
     * an entry in recovered, zero where nothing was taken.
     */
    public Outcome apply(YearState before, boolean panOperative, List<Credit> credits) {
        Objects.requireNonNull(before, "before");
        Objects.requireNonNull(credits, "credits");
        FinancialYear year = before.year();
        BigDecimal threshold = rules.thresholdFor(year);
        credits.forEach(credit -> requireWithin(year, credit));
        requireUniqueIds(before.untaxed(), credits);

        BigDecimal creditedGross = before.creditedGross();
        boolean thresholdCrossed = before.thresholdCrossed();
        BigDecimal outstandingTax = before.outstandingTax();
        List<Credit> untaxed = new ArrayList<>(before.untaxed());
        List<TaxLine> lines = new ArrayList<>();
        Map<Long, BigDecimal> recovered = new LinkedHashMap<>();

        for (Credit credit : credits) {
            creditedGross = creditedGross.add(credit.gross());
            List<TaxLine> deductedHere = new ArrayList<>();
            if (!thresholdCrossed && creditedGross.compareTo(threshold) > 0) {
                thresholdCrossed = true;
                for (Credit earlier : untaxed) {
                    deductedHere.add(line(year, earlier, credit, panOperative));
                }
                untaxed.clear();
            }
            if (thresholdCrossed) {
                deductedHere.add(line(year, credit, credit, panOperative));
            } else {
                untaxed.add(credit);
            }

            BigDecimal due = outstandingTax;
            for (TaxLine line : deductedHere) {
                due = due.add(line.tax());
            }
            BigDecimal taken = due.min(credit.gross());
            recovered.put(credit.creditId(), taken);
            outstandingTax = due.subtract(taken);
            lines.addAll(deductedHere);
        }

        YearState after = new YearState(year, creditedGross, thresholdCrossed, outstandingTax, untaxed);
        return new Outcome(lines, recovered, after);
    }

    /**
     * Tax on taxed's gross at the rate of taxed's own date. Section and quarter are those of deductedWith's date: the
     * tax is deducted when that credit is posted, and the return for that quarter is where it is reported.
     */
    private TaxLine line(FinancialYear year, Credit taxed, Credit deductedWith, boolean panOperative) {
        BigDecimal ratePercent = rules.rateOn(taxed.creditedOn(), panOperative);
        BigDecimal tax = taxed.gross().multiply(ratePercent).movePointLeft(2).setScale(2, RoundingMode.HALF_UP);
        LocalDate deductedOn = deductedWith.creditedOn();
        boolean catchUp = taxed.creditId() != deductedWith.creditId();
        return new TaxLine(taxed.creditId(), deductedWith.creditId(), taxed.creditedOn(), taxed.gross(), ratePercent,
                tax, rules.sectionOn(deductedOn), year.quarterOf(deductedOn), catchUp);
    }

    // recovered is keyed by credit id, and a catch-up line must name one credit only
    private static void requireUniqueIds(List<Credit> untaxed, List<Credit> credits) {
        Set<Long> seen = new HashSet<>();
        for (List<Credit> group : List.of(untaxed, credits)) {
            for (Credit credit : group) {
                if (!seen.add(credit.creditId())) {
                    throw new IllegalArgumentException("credit id " + credit.creditId() + " appears twice");
                }
            }
        }
    }

    private static void requireWithin(FinancialYear year, Credit credit) {
        if (credit.creditedOn().isBefore(year.firstDay()) || credit.creditedOn().isAfter(year.lastDay())) {
            throw new IllegalArgumentException("credit " + credit.creditId() + " on " + credit.creditedOn()
                    + " is outside financial year " + year.label());
        }
    }

    /** Accepts any amount whose value fits in paise, so 1.230 is 1.23 but 1.234 is refused rather than rounded. */
    private static BigDecimal inPaise(BigDecimal amount, String name) {
        Objects.requireNonNull(amount, name);
        try {
            return amount.setScale(2);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException(name + " has more than 2 decimal places: " + amount.toPlainString(), e);
        }
    }
}
