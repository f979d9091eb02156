package io.downline.support;

/** Reads messages waiting in the notification outbox (tests deliver it themselves, so codes are still there). */
public final class Mailbox {

    private Mailbox() {
    }

    /** The newest activation code waiting for the account. */
    public static String activationCode(String username) {
        return secret("ACTIVATION_CODE", username);
    }

    /** The newest password reset code waiting for the account. */
    public static String resetToken(String username) {
        return secret("PASSWORD_RESET", username);
    }

    /** The address the newest message of the kind for the account goes to. */
    public static String recipient(String kind, String username) {
        return Network.query("select recipient from notification.message where kind = ? and params->>'username' = ? order by id desc limit 1",
                kind, username);
    }

    public static long count(String kind, String username) {
        return Long.parseLong(Network.query("select count(*) from notification.message where kind = ? and params->>'username' = ?", kind, username));
    }

    private static String secret(String kind, String username) {
        String secret = Network.query("""
                select secret from notification.message where kind = ? and params->>'username' = ? and status = 'PENDING'
                 order by id desc limit 1""", kind, username);
        if (secret == null) {
            throw new AssertionError("no pending " + kind + " message for " + username);
        }
        return secret;
    }

    /** A unique email address. */
    public static String address(String prefix) {
        return Accounts.uniqueName(prefix.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]+", "-")) + "@example.com";
    }
}
