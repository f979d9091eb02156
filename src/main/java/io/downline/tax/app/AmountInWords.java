package io.downline.tax.app;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** An amount in words as Indian invoices write it: lakh and crore, then the minor unit ("Rupees ... and ... Paise Only"). */
public final class AmountInWords {

    private static final String[] ONES = { "Zero", "One", "Two", "Three", "Four", "Five", "Six", "Seven", "Eight", "Nine", "Ten",
            "Eleven", "Twelve", "Thirteen", "Fourteen", "Fifteen", "Sixteen", "Seventeen", "Eighteen", "Nineteen" };
    private static final String[] TENS = { "", "", "Twenty", "Thirty", "Forty", "Fifty", "Sixty", "Seventy", "Eighty", "Ninety" };

    private AmountInWords() {
    }

    public static String of(BigDecimal amount, String currency) {
        BigDecimal exact = amount.abs().setScale(2, RoundingMode.HALF_UP);
        long major = exact.longValue();
        int minor = exact.remainder(BigDecimal.ONE).movePointRight(2).intValue();
        String[] units = switch (currency) {
            case "INR" -> new String[] { "Rupees", "Paise" };
            case "KZT" -> new String[] { "Tenge", "Tiyn" };
            default -> new String[] { currency, "Cents" };
        };
        StringBuilder words = new StringBuilder(amount.signum() < 0 ? "Minus " : "").append(units[0]).append(' ').append(indian(major));
        if (minor > 0) {
            words.append(" and ").append(belowHundred(minor)).append(' ').append(units[1]);
        }
        return words.append(" Only").toString();
    }

    /** Crore (10^7), lakh (10^5), thousand, hundred. */
    static String indian(long n) {
        if (n == 0) {
            return ONES[0];
        }
        StringBuilder out = new StringBuilder();
        long crore = n / 10_000_000;
        if (crore > 0) {
            out.append(indian(crore)).append(" Crore ");
        }
        n %= 10_000_000;
        append(out, n / 100_000, "Lakh");
        n %= 100_000;
        append(out, n / 1000, "Thousand");
        n %= 1000;
        append(out, n / 100, "Hundred");
        n %= 100;
        if (n > 0) {
            out.append(belowHundred((int) n));
        }
        return out.toString().trim();
    }

    private static void append(StringBuilder out, long count, String unit) {
        if (count > 0) {
            out.append(belowHundred((int) count)).append(' ').append(unit).append(' ');
        }
    }

    private static String belowHundred(int n) {
        if (n < 20) {
            return ONES[n];
        }
        return TENS[n / 10] + (n % 10 == 0 ? "" : " " + ONES[n % 10]);
    }
}
