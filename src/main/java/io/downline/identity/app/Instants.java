package io.downline.identity.app;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

public final class Instants {

    private Instants() {
    }

    /** The reactive PostgreSQL client binds timestamptz parameters from OffsetDateTime, not Instant. */
    public static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
