package io.downline.ledger.api;

import java.util.Map;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.SqlClient;

/**
 * Posting for other modules (commission credits with TDS): balanced journal transactions on the caller's connection, so
 * that what a module records about a posting commits with it. Amounts are in minor units; the ledger's refusals arrive
 * as database errors that {@link LedgerErrors#translate} turns into problems.
 */
public interface Postings {

    /** The wallets' currency. */
    Uni<String> currency(SqlClient conn);

    /** The company account of that name and currency, opened if missing. */
    Uni<Long> companyAccount(SqlClient conn, String name, String currency);

    /** Each distributor's wallet in the currency, opened if missing, keyed by distributor id. */
    Uni<Map<Long, Long>> wallets(SqlClient conn, long[] distributorIds, String currency);

    /** Posts one balanced transaction (legs summing to zero) and returns its id. */
    Uni<Long> post(SqlClient conn, String type, JsonObject metadata, String actor, long[] accounts, long[] amounts);
}
