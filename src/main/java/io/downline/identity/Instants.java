package io.downline.identity;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

final class Instants {

    private Instants() {
    }

    /** The reactive PostgreSQL client binds timestamptz parameters from OffsetDateTime, not Instant. */
    static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
