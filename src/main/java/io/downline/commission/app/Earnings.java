package io.downline.commission.app;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.downline.commission.api.CommissionModels.LineView;
import io.downline.commission.api.CommissionModels.PeriodSummary;
import io.downline.commission.api.CommissionModels.TotalView;
import io.downline.commission.api.CommissionModels.TraceView;
import io.downline.commission.store.LineStore;
import io.downline.commission.store.LineStore.StoredLine;
import io.downline.commission.store.PeriodStore;
import io.downline.commission.store.PlanStore;
import io.downline.common.money.Money;
import io.downline.common.paging.Page;
import io.downline.common.paging.PageRequest;
import io.downline.common.problem.ProblemException;
import io.downline.common.problem.ProblemType;
import io.downline.genealogy.api.NetworkReads;
import io.downline.genealogy.api.NetworkReads.MemberRef;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;

/** A member's commission lines, their totals per period, and the trace of each line. */
@ApplicationScoped
public class Earnings {

    private final Pool pool;
    private final LineStore lines;
    private final PeriodStore periods;
    private final PlanStore plans;
    private final NetworkReads network;

    public Earnings(Pool pool, LineStore lines, PeriodStore periods, PlanStore plans, NetworkReads network) {
        this.pool = pool;
        this.lines = lines;
        this.periods = periods;
        this.plans = plans;
        this.network = network;
    }

    /** The distributor behind a login; 403 for a login that is no distributor. */
    public Uni<MemberRef> memberOfUser(UUID userId) {
        return network.byUser(pool, userId).map(member -> {
            if (member == null) {
                throw new ProblemException(ProblemType.FORBIDDEN, "Only distributors have commission earnings.");
            }
            return member;
        });
    }

    public Uni<MemberRef> memberByCode(String code) {
        return network.byCode(pool, code).map(member -> {
            if (member == null) {
                throw new ProblemException(ProblemType.NOT_FOUND, "No member " + code + ".");
            }
            return member;
        });
    }

    public Uni<Page<LineView>> lines(MemberRef member, String period, PageRequest page) {
        if (period != null && !Periods.valid(period)) {
            throw ProblemException.invalidField("period", "must be a month (2026-12) or an ISO week (2026-W49)");
        }
        return lines.forMember(pool, member.id(), period, page.afterNumber(), page.limit + 1)
                .map(found -> page.page(found.stream().map(Earnings::view).toList(), line -> List.of(Long.toString(line.id()))));
    }

    public Uni<PeriodSummary> summary(MemberRef member, String period, String currency) {
        Periods.of(period);
        return periods.get(pool, period).chain(stored -> lines.totals(pool, member.id(), period).map(totals -> {
            long paid = 0;
            long outstanding = 0;
            List<TotalView> byRule = new ArrayList<>();
            for (LineStore.Total total : totals) {
                if ("OUTSTANDING".equals(total.status())) {
                    outstanding += total.amount();
                } else if (!"CARRIED".equals(total.status())) {
                    // a carried clawback is outstanding in the next period instead
                    paid += total.amount();
                }
                byRule.add(new TotalView(total.rule(), total.status(), money(total.amount(), total.currency()), total.lines()));
            }
            return new PeriodSummary(period, stored == null ? "NOT_STARTED" : stored.status(), money(paid, currency),
                    money(outstanding, currency), money(paid + outstanding, currency), byRule);
        }));
    }

    /** "Why did I earn this": the line, the rule in words, its source and the plan version it was computed by. */
    public Uni<TraceView> trace(MemberRef member, long lineId) {
        return lines.get(pool, lineId).chain(line -> {
            if (line == null || line.memberId() != member.id()) {
                throw new ProblemException(ProblemType.NOT_FOUND, "No commission line " + lineId + " of " + member.memberCode() + ".");
            }
            Uni<StoredLine> reverses = line.reversesLine() == null ? Uni.createFrom().nullItem() : lines.get(pool, line.reversesLine());
            return reverses.chain(original -> plans.get(pool, line.planVersion()).map(plan -> new TraceView(view(line), explain(line),
                    source(line), original == null ? null : view(original), CommissionPlans.view(plan))));
        });
    }

    private static JsonObject source(StoredLine line) {
        JsonObject source = line.trace().copy();
        if (line.sourceOrder() != null) {
            source.put("order", line.sourceOrder().toString());
        }
        if (line.sourceMember() != null) {
            source.put("buyer", line.sourceMember());
        }
        return source;
    }

    static String explain(StoredLine line) {
        String rate = line.rate() == null ? "" : line.rate().movePointRight(2).stripTrailingZeros().toPlainString() + "% of ";
        String buyer = line.sourceMember() == null ? "" : " by " + line.sourceMember();
        return switch (line.rule()) {
            case "SPONSOR_BONUS" -> "Sponsor bonus: " + rate + "the BV of the first order" + buyer + ", whom you sponsored";
            case "LEVEL" -> "Level " + line.level() + " commission: " + rate + "the BV of an order" + buyer + ", " + line.level()
                    + " qualified level(s) below you in your sponsor line";
            case "CLAWBACK" -> "Clawback: the refunded share of the commission of line " + line.reversesLine()
                    + ", rounded so that all refunds of the order take back exactly what it paid";
            case "BINARY" -> "Binary bonus: pairs of left and right leg volume in period " + line.period();
            case "MATCHING" -> "Matching bonus: " + rate + "the binary bonus of a generation-" + line.level() + " member you sponsored";
            case "RANK" -> "Rank bonus for the rank paid as in period " + line.period();
            case "POOL" -> "Leadership pool share of period " + line.period();
            default -> line.rule();
        };
    }

    public static LineView view(StoredLine line) {
        return new LineView(line.id(), line.period(), line.memberCode(), line.rule(), line.level(), line.rate(),
                line.base() == null ? null : money(line.base(), line.currency()), money(line.amount(), line.currency()), line.status(),
                line.sourceOrder(), line.sourceMember(), line.planVersion(), line.reversesLine(), line.ledgerTxn(), line.createdAt());
    }

    static Money money(long minor, String currency) {
        return Money.of(BigDecimal.valueOf(minor, 2), currency);
    }
}
