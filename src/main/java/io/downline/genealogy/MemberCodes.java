package io.downline.genealogy;

import java.security.SecureRandom;

/** Human-friendly identifiers: member codes with a check digit, and unguessable referral and activation codes. */
final class MemberCodes {

    /** Crockford's base 32: no I, L, O or U, so codes survive being read aloud or typed from a phone screen. */
    private static final char[] ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private MemberCodes() {
    }

    /** Prefix, the member number in 7 digits and a Luhn check digit, which catches any single mistyped digit: 42 is DL00000422. */
    static String memberCode(String prefix, long number) {
        String digits = String.format("%07d", number);
        return prefix + digits + luhn(digits);
    }

    static String random(int length) {
        char[] code = new char[length];
        for (int i = 0; i < length; i++) {
            code[i] = ALPHABET[RANDOM.nextInt(ALPHABET.length)];
        }
        return new String(code);
    }

    static int luhn(String digits) {
        int sum = 0;
        boolean twice = true;
        for (int i = digits.length() - 1; i >= 0; i--) {
            int d = digits.charAt(i) - '0';
            if (twice) {
                d *= 2;
                if (d > 9) {
                    d -= 9;
                }
            }
            sum += d;
            twice = !twice;
        }
        return (10 - sum % 10) % 10;
    }
}
