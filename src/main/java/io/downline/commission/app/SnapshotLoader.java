package io.downline.commission.app;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import io.downline.commission.engine.CompPlan;
import io.downline.commission.store.CloseStore;
import io.downline.commission.store.CloseStore.CarryIn;
import io.downline.commission.store.PeriodStore.StoredPeriod;
import io.downline.common.problem.ProblemException;
import io.downline.common.problem.ProblemType;
import io.downline.genealogy.api.NetworkReads;
import io.downline.genealogy.api.NetworkReads.PlacementColumns;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.mutiny.sqlclient.SqlConnection;

/**
 * Builds a period's snapshot for the engine: the placement tree in pre-order with the period's volumes (read from
 * genealogy), the binary carry and highest ranks left by the last closed period, and the instant bonuses already paid
 * in the period. The tree comes as one row of columns; the arrays are built on a worker thread, off the event loop.
 */
@ApplicationScoped
public class SnapshotLoader {

    private final NetworkReads network;
    private final CloseStore store;

    public SnapshotLoader(NetworkReads network, CloseStore store) {
        this.network = network;
        this.store = store;
    }

    public Uni<CloseSnapshot> load(SqlConnection conn, StoredPeriod period, CompPlan plan) {
        return store.lastClosedBefore(conn, period.startsAt()).chain(previous -> store.carryOutOf(conn, previous)
                .chain(carry -> store.highestRanksAt(conn, previous)
                        .chain(ranks -> store.instantPaid(conn, period.period())
                                .chain(instant -> network.placementColumns(conn, period.period())
                                        .emitOn(Infrastructure.getDefaultWorkerPool())
                                        .map(tree -> build(period.period(), plan, tree, carry, ranks, instant))))));
    }

    static CloseSnapshot build(String period, CompPlan plan, PlacementColumns tree, List<CarryIn> carry, Map<Long, String> ranks,
            long instantPaid) {
        int n = tree.size();
        CloseSnapshot.Arrays a = new CloseSnapshot.Arrays(n);
        String[] codes = tree.memberCodes();
        Map<Long, Integer> position = new HashMap<>(n * 2);
        for (int i = 0; i < n; i++) {
            long id = tree.ids()[i];
            position.put(id, i);
            a.memberId[i] = id;
            Long parentId = tree.placementParentIds()[i];
            Integer parent = parentId == null ? null : position.get(parentId);
            a.parent[i] = parent == null ? -1 : parent;
            Integer placed = tree.positions()[i];
            int side = placed == null ? 0 : placed;
            if (side > 1 && plan.binary() != null) {
                throw new ProblemException(ProblemType.CONFLICT, "The plan pays a binary bonus but member " + codes[i]
                        + " is placed in position " + side + ": the network's placement is not binary.");
            }
            a.side[i] = (byte) Math.min(side, 1);
            a.pv[i] = wholePoints(tree.pv()[i]);
            a.bv[i] = minorUnits(tree.bv()[i]);
            a.active[i] = "ACTIVE".equals(tree.statuses()[i]);
            a.highestRank[i] = plan.rankIndex(ranks.get(id));
        }
        for (int i = 0; i < n; i++) {
            Long sponsor = tree.sponsorIds()[i];
            Integer at = sponsor == null ? null : position.get(sponsor);
            a.sponsor[i] = at == null ? -1 : at;
        }
        for (CarryIn in : carry) {
            Integer at = position.get(in.memberId());
            if (at != null) {
                a.carryLeft[at] = in.left();
                a.carryRight[at] = in.right();
                a.pairedBefore[at] = in.paired();
            }
        }
        // KYC is not read here yet (plans may not require it, see CommissionPlans): nobody counts as verified
        return new CloseSnapshot(a.snapshot(period, instantPaid), codes);
    }

    /** PV in whole points, as qualification counts it; a period whose refunds exceed its sales counts as zero. */
    static long wholePoints(BigDecimal pv) {
        return Math.max(0, pv.setScale(0, RoundingMode.FLOOR).longValueExact());
    }

    /** BV in minor units; a period whose refunds exceed its sales counts as zero. */
    static long minorUnits(BigDecimal bv) {
        return Math.max(0, bv.setScale(2, RoundingMode.UNNECESSARY).movePointRight(2).longValueExact());
    }
}
