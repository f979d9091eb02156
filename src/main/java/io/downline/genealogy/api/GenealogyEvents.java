package io.downline.genealogy.api;

import java.util.List;

import io.downline.common.db.Outbox;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;

/**
 * How other modules consume genealogy's transactional outbox: claim the consumer, read the next events in commit-safe
 * order, and acknowledge them in the same transaction as the consumer's own effects. Events:
 * <ul>
 * <li>{@value #REGISTERED}: {@code memberId}, {@code memberCode}, {@code sponsorId} and {@code sponsorCode} (absent for the
 * first member), {@code registeredAt}, {@code period} (the volume period of the registration);</li>
 * <li>{@value #RANK_CHANGED}: {@code memberId}, {@code memberCode}, {@code previous}, {@code rank}, {@code reason},
 * {@code changedAt}.</li>
 * </ul>
 */
public interface GenealogyEvents {

    String REGISTERED = "member.registered";
    String RANK_CHANGED = "member.rank_changed";

    /** The NOTIFY channel woken by every committed event. */
    String channel();

    Uni<Boolean> claim(SqlConnection conn, String consumer);

    Uni<List<Outbox.Event>> next(SqlConnection conn, String consumer, int limit);

    Uni<Void> ack(SqlConnection conn, String consumer, Outbox.Event last);
}
