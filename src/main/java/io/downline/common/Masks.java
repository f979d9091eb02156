package io.downline.common;

/** How identifiers are shown outside the vault: all but the last four characters hidden. */
public final class Masks {

    private Masks() {
    }

    public static String accountNumber(String accountNumber) {
        return "X".repeat(accountNumber.length() - 4) + accountNumber.substring(accountNumber.length() - 4);
    }

    /** A PAN with its first five characters (the holder's name letters and type) hidden. */
    public static String pan(String pan) {
        return "XXXXX" + pan.substring(5);
    }
}
