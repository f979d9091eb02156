package io.downline.ledger;

import java.math.BigDecimal;
import java.util.Currency;

import io.downline.common.money.Money;
import io.downline.common.problem.ProblemException;

/** The ledger stores amounts as integers in the currency's minor unit (paise for INR); the API speaks {@link Money}. */
final class MinorUnits {

    private MinorUnits() {
    }

    static long of(Money money) {
        return money.amount().movePointRight(digits(money.currency())).longValueExact();
    }

    /** A positive amount in the expected currency, or a 400 naming the field. */
    static long positive(Money money, String currency, String field) {
        if (money == null) {
            throw ProblemException.invalidField(field, "is required");
        }
        if (!money.currency().equals(currency)) {
            throw ProblemException.invalidField(field, "must be in " + currency);
        }
        long minor = of(money);
        if (minor <= 0) {
            throw ProblemException.invalidField(field, "must be greater than zero");
        }
        return minor;
    }

    static Money money(long minor, String currency) {
        return Money.of(BigDecimal.valueOf(minor, digits(currency)), currency);
    }

    private static int digits(String currency) {
        return Currency.getInstance(currency).getDefaultFractionDigits();
    }
}
