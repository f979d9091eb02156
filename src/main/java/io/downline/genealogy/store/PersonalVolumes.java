package io.downline.genealogy.store;

import java.math.BigDecimal;

import jakarta.enterprise.context.ApplicationScoped;

import io.downline.genealogy.api.Volumes;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Volume entries and the per-period totals they add up to. personal_volume's triggers (R__genealogy_summary.sql) copy the
 * open period's totals onto the member's tree rows in the same statement, for the downline sums.
 */
@ApplicationScoped
public class PersonalVolumes implements Volumes {

    @Override
    public Uni<Void> record(SqlClient conn, String period, long distributorId, BigDecimal pv, BigDecimal bv, String source,
            String reference, String actor) {
        return conn.preparedQuery("""
                with entry as (
                    insert into genealogy.volume_entry (period, distributor_id, pv, bv, source, reference, recorded_by)
                    values ($1, $2, $3, $4, $5, $6, $7))
                insert into genealogy.personal_volume (period, distributor_id, pv, bv) values ($1, $2, $3, $4)
                on conflict (period, distributor_id) do update
                   set pv = personal_volume.pv + excluded.pv, bv = personal_volume.bv + excluded.bv""")
                .execute(Tuple.tuple().addString(period).addLong(distributorId).addBigDecimal(pv).addBigDecimal(bv).addString(source)
                        .addString(reference).addString(actor))
                .replaceWithVoid();
    }
}
