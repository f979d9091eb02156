package io.downline.kyc.app;

import java.util.regex.Pattern;

import org.apache.commons.validator.routines.checkdigit.VerhoeffCheckDigit;

import io.downline.common.problem.ProblemException;

/** Aadhaar numbers: 12 digits, the first 2 to 9, the last a Verhoeff check digit; shown only as XXXX XXXX 1234. */
public final class Aadhaar {

    private static final Pattern FORM = Pattern.compile("[2-9][0-9]{11}");

    private Aadhaar() {
    }

    /** The number without the spaces or hyphens people write it with; a 400 problem unless it is a valid Aadhaar number. */
    public static String parse(String field, String text) {
        String digits = text == null ? "" : text.replaceAll("[\\s-]", "");
        if (!FORM.matcher(digits).matches()) {
            throw ProblemException.invalidField(field, "must be 12 digits, the first 2 to 9");
        }
        if (!VerhoeffCheckDigit.VERHOEFF_CHECK_DIGIT.isValid(digits)) {
            throw ProblemException.invalidField(field, "is not an Aadhaar number (its check digit is wrong)");
        }
        return digits;
    }

    public static String mask(String last4) {
        return "XXXX XXXX " + last4;
    }
}
