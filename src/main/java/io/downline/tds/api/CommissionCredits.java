package io.downline.tds.api;

import io.downline.ledger.api.LedgerModels.CreditBatchRequest;
import io.downline.ledger.api.LedgerModels.CreditBatchView;
import io.downline.ledger.api.LedgerModels.CreditRequest;
import io.smallrye.mutiny.Uni;
import io.vertx.pgclient.PgException;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import java.util.List;

/**
 * Commission credits for other modules (the commission engine): each credited at most once by its source reference, TDS deducted per the dated rules and the deductee's PAN, in the caller's transaction or its own.
 */
public interface CommissionCredits {

    Uni<CreditBatchView> post(CreditBatchRequest request, String actor);

    /**
     * Posts the credits in the caller's transaction, so that the caller's own effects (e.g. events marked done) commit
     * or roll back together with the money. The caller retries its whole transaction after a transient failure or a
     * {@link #isReferenceRace reference race}; other failures come back as problems.
     */
    Uni<CreditBatchView> post(SqlConnection conn, List<CreditRequest> credits, String actor);

    /** The currency commissions are credited in (the ledger's). */
    Uni<String> currency(SqlClient conn);

    /** A concurrent batch posted one of the same source references first: running the transaction again skips it. */
    static boolean isReferenceRace(Throwable failure) {
        return failure instanceof PgException pg && "23505".equals(pg.getSqlState());
    }
}
