package io.downline.notification.api;

/** What a message tells its recipient; each kind has its own template. */
public enum MessageKind {
    /** The one-time code with which a new distributor sets their first password. */
    ACTIVATION_CODE,
    /** A single-use token that lets the account holder set a new password. */
    PASSWORD_RESET
}
