package io.downline.kyc.api;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;

/**
 * What an approved PAN card means elsewhere: the module keeping PANs for TDS implements it, so that the vault does not
 * depend on that module (which itself asks the vault whether KYC is complete).
 */
public interface PanApprovals {

    /**
     * The PAN read off an approved PAN card, in the reviewer's transaction: true when it is the PAN the member entered,
     * which is operative from now on; false (nothing changed) when it is not.
     */
    Uni<Boolean> confirmPanFromDocument(SqlClient conn, long distributorId, String pan, String reviewer);
}
