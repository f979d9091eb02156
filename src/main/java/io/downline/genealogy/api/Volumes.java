package io.downline.genealogy.api;

import java.math.BigDecimal;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;

/** Personal volume for other modules (orders add it, returns take it back), recorded in the caller's transaction. */
public interface Volumes {

    /**
     * Adds PV/BV (negative for a return) to the member's period and keeps the entry with its source and reference. It
     * locks the member's period total and tree rows until the commit: a transaction recording for several members should
     * do so in member id order, so that two such transactions never deadlock.
     */
    Uni<Void> record(SqlClient conn, String period, long distributorId, BigDecimal pv, BigDecimal bv, String source, String reference,
            String actor);
}
