package io.downline.commission.app;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.IsoFields;
import java.time.temporal.TemporalAdjusters;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.downline.common.problem.ProblemException;

/**
 * Bounds of the genealogy's volume periods ("2026-12" monthly, "2026-W49" weekly), in UTC like the periods themselves:
 * a commission period is the volume period of the same name.
 */
public final class Periods {

    private static final Pattern MONTH = Pattern.compile("(\\d{4})-(0[1-9]|1[0-2])");
    private static final Pattern WEEK = Pattern.compile("(\\d{4})-W(0[1-9]|[1-4]\\d|5[0-3])");

    /** The first and the first-after instants of a period. */
    public record Bounds(Instant start, Instant end) {
    }

    private Periods() {
    }

    public static Bounds of(String period) {
        Matcher month = MONTH.matcher(period == null ? "" : period);
        if (month.matches()) {
            LocalDate first = LocalDate.of(Integer.parseInt(month.group(1)), Integer.parseInt(month.group(2)), 1);
            return new Bounds(first.atStartOfDay(ZoneOffset.UTC).toInstant(), first.plusMonths(1).atStartOfDay(ZoneOffset.UTC).toInstant());
        }
        Matcher week = WEEK.matcher(period == null ? "" : period);
        if (week.matches()) {
            int year = Integer.parseInt(week.group(1));
            int number = Integer.parseInt(week.group(2));
            LocalDate monday = LocalDate.of(year, 1, 4).with(IsoFields.WEEK_OF_WEEK_BASED_YEAR, number)
                    .with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
            if (monday.get(IsoFields.WEEK_BASED_YEAR) != year) {
                throw ProblemException.invalidField("period", "week " + number + " does not exist in " + year);
            }
            return new Bounds(monday.atStartOfDay(ZoneOffset.UTC).toInstant(), monday.plusWeeks(1).atStartOfDay(ZoneOffset.UTC).toInstant());
        }
        throw ProblemException.invalidField("period", "must be a month (2026-12) or an ISO week (2026-W49)");
    }

    /** The period after this one, in the same form. */
    public static String next(String period) {
        Instant end = of(period).end();
        LocalDate first = end.atZone(ZoneOffset.UTC).toLocalDate();
        return MONTH.matcher(period).matches()
                ? String.format("%d-%02d", first.getYear(), first.getMonthValue())
                : String.format("%d-W%02d", first.get(IsoFields.WEEK_BASED_YEAR), first.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR));
    }

    /** The period before this one, in the same form. */
    public static String previous(String period) {
        LocalDate last = of(period).start().atZone(ZoneOffset.UTC).toLocalDate().minusDays(1);
        return MONTH.matcher(period).matches()
                ? String.format("%d-%02d", last.getYear(), last.getMonthValue())
                : String.format("%d-W%02d", last.get(IsoFields.WEEK_BASED_YEAR), last.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR));
    }

    public static boolean valid(String period) {
        return period != null && (MONTH.matcher(period).matches() || WEEK.matcher(period).matches());
    }
}
