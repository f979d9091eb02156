package io.downline.notification.app;

/** Email addresses as logs may show them. */
final class Recipients {

    private Recipients() {
    }

    /** "kavya@example.com" becomes "k***@example.com": enough to tell messages apart, not to harvest addresses. */
    static String masked(String email) {
        int at = email.indexOf('@');
        return at <= 0 ? "***" : email.charAt(0) + "***" + email.substring(at);
    }
}
