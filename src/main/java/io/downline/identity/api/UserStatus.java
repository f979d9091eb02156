package io.downline.identity.api;

/** LOCKED is a temporary security hold (it can be lifted); DISABLED ends access until re-enabled. */
public enum UserStatus {
    ACTIVE, LOCKED, DISABLED
}
