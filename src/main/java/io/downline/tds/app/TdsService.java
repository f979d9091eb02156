package io.downline.tds.app;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.downline.audit.api.AuditEvent;
import io.downline.audit.api.AuditSubjects;
import io.downline.audit.api.AuditTrail;
import io.downline.common.problem.ProblemException;
import io.downline.common.problem.ProblemType;
import io.downline.ledger.api.LedgerModels.Form16AView;
import io.downline.ledger.api.LedgerModels.Form26QRow;
import io.downline.ledger.api.LedgerModels.Form26QView;
import io.downline.ledger.api.LedgerModels.TaxProfileRequest;
import io.downline.ledger.api.LedgerModels.TaxProfileView;
import io.downline.genealogy.api.MemberDirectory;
import io.downline.genealogy.api.MemberDirectory.MemberRef;
import io.downline.kyc.api.PanApprovals;
import io.downline.common.Masks;
import io.vertx.mutiny.sqlclient.Pool;
import io.downline.tax.api.FinancialYear;
import io.downline.tds.api.TdsRules;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.downline.common.money.MinorUnits;
import io.downline.tds.store.TdsRepository;

/** PANs, and the tax ledger read back as the quarterly return (Form 26Q) and the deductee's certificate (Form 16A). */
@ApplicationScoped
public class TdsService implements PanApprovals {

    private static final String CURRENCY = "INR";
    private static final TdsRules RULES = TdsRules.india();

    private final MemberDirectory members;
    private final Pool pool;
    private final TdsRepository tds;
    private final AuditTrail audit;

    public TdsService(MemberDirectory members, Pool pool, TdsRepository tds, AuditTrail audit) {
        this.members = members;
        this.audit = audit;
        this.pool = pool;
        this.tds = tds;
    }

    public Uni<TaxProfileView> myProfile(UUID userId) {
        return members.byUser(userId).chain(this::profile);
    }

    public Uni<TaxProfileView> profileOf(String code) {
        return members.byCode(code).chain(this::profile);
    }

    /** A distributor sets their own PAN; whether it is operative is for staff to say. */
    public Uni<TaxProfileView> saveMine(UUID userId, TaxProfileRequest request, String actor) {
        if (request.panOperative() != null) {
            throw ProblemException.invalidField("panOperative", "is set by finance after checking the PAN");
        }
        return members.byUser(userId).chain(member -> tds.saveProfile(pool, member.distributorId(), request.pan(), null, actor)
                .chain(() -> profile(member)));
    }

    /** Staff set a member's PAN and whether it is operative; the change is audited with the masked PAN before and after. */
    public Uni<TaxProfileView> save(String code, TaxProfileRequest request, String actor) {
        return members.byCode(code).chain(member -> pool.withTransaction(conn -> tds.profile(conn, member.distributorId())
                .chain(before -> tds.saveProfile(conn, member.distributorId(), request.pan(), request.panOperative(), actor)
                        .chain(() -> tds.profile(conn, member.distributorId()))
                        .chain(after -> audit.record(conn, AuditEvent.of(actor, "PAN_SAVED", AuditSubjects.PAN, member.memberCode(),
                                panState(before), panState(after), null)))))
                .chain(() -> profile(member)));
    }

    private static Map<String, Object> panState(TdsRepository.Profile profile) {
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("pan", profile == null || profile.pan() == null ? null : Masks.pan(profile.pan()));
        state.put("operative", profile != null && profile.operative());
        return profile == null ? null : state;
    }

    /**
     * The PAN is confirmed by an approved PAN card (the KYC vault, in the caller's transaction): operative from now on, if
     * it is the PAN the member entered; false (nothing changed) when it is not.
     */
    @Override
    public Uni<Boolean> confirmPanFromDocument(SqlClient conn, long distributorId, String pan, String reviewer) {
        return tds.confirmPan(conn, distributorId, pan, reviewer);
    }

    private Uni<TaxProfileView> profile(MemberRef member) {
        return tds.profile(pool, member.distributorId()).map(profile -> {
            boolean operative = profile != null && profile.operative();
            return new TaxProfileView(member.memberCode(), profile == null || profile.pan() == null ? null : Masks.pan(profile.pan()), operative,
                    RULES.rateOn(LocalDate.now(), operative).setScale(2), profile == null ? null : profile.updatedAt());
        });
    }

    public Uni<Form26QView> quarterlyReturn(String financialYear, int quarter) {
        FinancialYear year = year(financialYear);
        checkQuarter(quarter);
        return tds.deductions(pool, year.startYear(), quarter, null).map(rows -> {
            List<Form26QRow> lines = rows.stream().map(TdsService::row).toList();
            return new Form26QView(year.label(), quarter, MinorUnits.money(rows.stream().mapToLong(TdsRepository.ReturnRow::gross).sum(), CURRENCY),
                    MinorUnits.money(rows.stream().mapToLong(TdsRepository.ReturnRow::tax).sum(), CURRENCY), lines);
        });
    }

    public Uni<Form16AView> myCertificate(UUID userId, String financialYear, int quarter) {
        return members.byUser(userId).chain(member -> certificate(member, financialYear, quarter));
    }

    public Uni<Form16AView> certificateOf(String code, String financialYear, int quarter) {
        return members.byCode(code).chain(member -> certificate(member, financialYear, quarter));
    }

    private Uni<Form16AView> certificate(MemberRef member, String financialYear, int quarter) {
        FinancialYear year = year(financialYear);
        checkQuarter(quarter);
        return Uni.combine().all().unis(tds.deductions(pool, year.startYear(), quarter, member.distributorId()),
                tds.profile(pool, member.distributorId())).asTuple().map(t -> {
                    List<Form26QRow> lines = t.getItem1().stream().map(TdsService::row).toList();
                    String pan = t.getItem2() == null ? null : t.getItem2().pan();
                    return new Form16AView(member.memberCode(), member.fullName(), pan, year.label(), quarter, year.quarterStart(quarter),
                            year.quarterEnd(quarter), MinorUnits.money(t.getItem1().stream().mapToLong(TdsRepository.ReturnRow::gross).sum(), CURRENCY),
                            MinorUnits.money(t.getItem1().stream().mapToLong(TdsRepository.ReturnRow::tax).sum(), CURRENCY), lines);
                });
    }

    private static Form26QRow row(TdsRepository.ReturnRow r) {
        boolean higherRate = r.pan() == null || r.ratePercent().compareTo(BigDecimal.valueOf(20)) == 0;
        return new Form26QRow(r.pan() == null ? "PANNOTAVBL" : r.pan(), r.name(), r.memberCode(), r.section(), r.creditedOn(), r.deductedOn(),
                MinorUnits.money(r.gross(), CURRENCY), r.ratePercent().setScale(2), MinorUnits.money(r.tax(), CURRENCY),
                r.catchUp(), higherRate ? "C" : "");
    }

    private static FinancialYear year(String label) {
        try {
            return FinancialYear.parse(label);
        } catch (IllegalArgumentException e) {
            throw ProblemException.invalidField("financialYear", "must be a financial year such as 2025-26");
        }
    }

    private static void checkQuarter(int quarter) {
        if (quarter < 1 || quarter > 4) {
            throw new ProblemException(ProblemType.NOT_FOUND, "Quarters are 1 to 4.");
        }
    }
}
