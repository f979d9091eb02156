package io.downline.common.money;

import java.math.BigDecimal;
import java.util.Currency;

import io.downline.common.problem.ProblemException;

/** The ledger stores amounts as integers in the currency's minor unit (paise for INR); the API speaks {@link Money}. */
public final class MinorUnits {

    /**
     * The largest amount one request may carry: 10^14 minor units (a trillion rupees). Far above any real payment, and low
     * enough that a batch of 20,000 such amounts still sums inside a bigint.
     */
    public static final long MAX = 100_000_000_000_000L;

    private MinorUnits() {
    }

    public static long of(Money money) {
        return money.amount().movePointRight(digits(money.currency())).longValueExact();
    }

    /** An amount within the request limit, or a 400 naming the field. */
    public static long bounded(Money money, String field) {
        if (money.amount().abs().movePointRight(digits(money.currency())).compareTo(java.math.BigDecimal.valueOf(MAX)) > 0) {
            throw ProblemException.invalidField(field, "is larger than any amount this ledger accepts");
        }
        return of(money);
    }

    /** A positive amount in the expected currency, or a 400 naming the field. */
    public static long positive(Money money, String currency, String field) {
        if (money == null) {
            throw ProblemException.invalidField(field, "is required");
        }
        if (!money.currency().equals(currency)) {
            throw ProblemException.invalidField(field, "must be in " + currency);
        }
        long minor = bounded(money, field);
        if (minor <= 0) {
            throw ProblemException.invalidField(field, "must be greater than zero");
        }
        return minor;
    }

    public static Money money(long minor, String currency) {
        return Money.of(BigDecimal.valueOf(minor, digits(currency)), currency);
    }

    private static int digits(String currency) {
        return Currency.getInstance(currency).getDefaultFractionDigits();
    }
}
