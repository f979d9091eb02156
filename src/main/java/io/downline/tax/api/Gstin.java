package io.downline.tax.api;

import java.util.regex.Pattern;

/**
 * GSTIN: state code (2) + PAN (10) + entity number (1-9, A-Z) + 'Z' + check character. The check character is a
 * base-36 Luhn variant: the first 14 characters, mapped 0-9 to 0-9 and A-Z to 10-35, are multiplied by 1 at even and 2
 * at odd 0-based positions; each product p contributes p / 36 + p % 36; the check is (36 - sum % 36) % 36.
 */
public final class Gstin {

    private static final String ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    private static final Pattern SHAPE = Pattern.compile("[0-9]{2}[A-Z]{5}[0-9]{4}[A-Z][1-9A-Z]Z[0-9A-Z]");

    private Gstin() {
    }

    /** Why the value is not a valid GSTIN, or null when it is one. */
    public static String problem(String gstin) {
        if (gstin == null || !SHAPE.matcher(gstin).matches()) {
            return "must be 15 characters: state code, PAN, entity number, Z and a check character";
        }
        if (!StateCodes.valid(gstin.substring(0, 2))) {
            return "starts with " + gstin.substring(0, 2) + ", which is not a GST state code";
        }
        if (checkCharacter(gstin.substring(0, 14)) != gstin.charAt(14)) {
            return "has a wrong check character";
        }
        return null;
    }

    public static boolean valid(String gstin) {
        return problem(gstin) == null;
    }

    public static char checkCharacter(String first14) {
        int sum = 0;
        for (int i = 0; i < 14; i++) {
            int value = ALPHABET.indexOf(first14.charAt(i));
            if (value < 0) {
                throw new IllegalArgumentException("not a GSTIN character: " + first14.charAt(i));
            }
            int product = value * (i % 2 == 0 ? 1 : 2);
            sum += product / 36 + product % 36;
        }
        return ALPHABET.charAt((36 - sum % 36) % 36);
    }

    public static String stateCode(String gstin) {
        return gstin.substring(0, 2);
    }
}
