package io.downline.genealogy.api;

import java.util.List;
import java.util.Map;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;

/**
 * Members' ranks, changed by another module (the commission close) in the caller's transaction. A rank is a name of the
 * compensation plan's rank table; every member starts as {@value #STARTING_RANK}. Each member whose rank differs gets
 * one {@link GenealogyEvents#RANK_CHANGED} event in the same transaction.
 */
public interface MemberRanks {

    String STARTING_RANK = "MEMBER";

    /** One member's rank as it changed. */
    record RankChange(long memberId, String memberCode, String previous, String rank) {
    }

    /**
     * Sets the ranks (member id -> rank name); members whose rank is already that, and ids of no member, change nothing.
     *
     * @param reason why, carried by the events (e.g. "close 2026-12")
     * @return the changes made, in member id order
     */
    Uni<List<RankChange>> change(SqlConnection conn, Map<Long, String> ranks, String reason);
}
