package io.downline.tds.store;

import io.vertx.mutiny.sqlclient.Pool;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.downline.common.paging.Page;
import io.downline.common.paging.PageRequest;
import io.downline.kyc.api.DocumentKind;
import io.downline.kyc.api.KycChecks;
import io.downline.kyc.api.KycChecks.DocumentSummary;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import io.downline.common.Masks;

/**
 * Finance's queue: PANs entered but not yet operative, and bank accounts not yet verified, each with the member's
 * latest KYC document of the matching kind (the PAN card, the bank proof) and its review state, so that nobody confirms
 * either with nothing to look at.
 */
@ApplicationScoped
public class VerificationQueue {

    public enum Kind {
        PAN, BANK_ACCOUNT
    }

    @Schema(name = "VerificationQueueItem", description = "A PAN or bank account waiting, with the KYC document that supports it")
    public record Item(
            @Schema(required = true, example = "DL00000421") String memberCode,
            @Schema(required = true, example = "Kavya Menon") String name,
            @Schema(required = true) Kind kind,
            @Schema(required = true, description = "The PAN or account number, masked; for an account with its IFSC", example = "XXXXXXXXXX7890 HDFC0001234")
            String value,
            @Schema(required = true, example = "2026-11-30T10:15:00Z") Instant waitingSince,
            @Schema(description = "The member's latest document of the matching kind, absent when there is none") DocumentSummary document) {
    }

    private final Pool pool;
    private final KycChecks kyc;

    public VerificationQueue(Pool pool, KycChecks kyc) {
        this.pool = pool;
        this.kyc = kyc;
    }

    public Uni<Page<Item>> list(Kind kind, PageRequest page) {
        String sql = kind == Kind.PAN ? """
                select t.distributor_id, d.member_code, d.full_name, t.pan as value, null as ifsc, t.updated_at as since
                  from tds.tax_profile t join genealogy.distributor d on d.id = t.distributor_id
                 where t.pan is not null and not t.pan_operative and t.distributor_id > coalesce($1, 0)
                 order by t.distributor_id limit $2""" : """
                select b.distributor_id, d.member_code, d.full_name, b.account_number as value, b.ifsc, b.submitted_at as since
                  from ledger.bank_account b join genealogy.distributor d on d.id = b.distributor_id
                 where b.status = 'PENDING' and b.distributor_id > coalesce($1, 0)
                 order by b.distributor_id limit $2""";
        return pool.preparedQuery(sql).execute(Tuple.of(page.afterNumber(), page.limit + 1)).chain(rows -> {
            List<Row> fetched = new ArrayList<>();
            rows.forEach(fetched::add);
            Page<Row> waiting = page.page(fetched, r -> List.of(Long.toString(r.getLong("distributor_id"))));
            return kyc.current(waiting.items().stream().map(r -> r.getLong("distributor_id")).toList(),
                    kind == Kind.PAN ? DocumentKind.PAN : DocumentKind.BANK_PROOF).map(documents -> new Page<>(waiting.items().stream()
                            .map(r -> new Item(r.getString("member_code"), r.getString("full_name"), kind,
                                    kind == Kind.PAN ? Masks.pan(r.getString("value"))
                                            : Masks.accountNumber(r.getString("value")) + " " + r.getString("ifsc"),
                                    r.getOffsetDateTime("since").toInstant(), documents.get(r.getLong("distributor_id"))))
                            .toList(), waiting.next()));
        });
    }
}
