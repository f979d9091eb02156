package io.downline.genealogy.app;

/** Member codes with a check digit (referral codes are {@link io.downline.common.RandomCodes#typeable}). */
final class MemberCodes {

    private MemberCodes() {
    }

    /** Prefix, the member number in 7 digits and a Luhn check digit, which catches any single mistyped digit: 42 is DL00000422. */
    static String memberCode(String prefix, long number) {
        String digits = String.format("%07d", number);
        return prefix + digits + luhn(digits);
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
