package io.downline.commission.store;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/** SQL of commission.enrolment and commission.member_rank: what the engine keeps of genealogy's events. */
@ApplicationScoped
public class MemberEventStore {

    public record Enrolment(long memberId, String memberCode, Long sponsorId, String period, OffsetDateTime registeredAt, UUID sourceEvent) {
    }

    public record RankChange(long memberId, String rank, String previous, OffsetDateTime changedAt, UUID sourceEvent) {
    }

    public Uni<Void> enrol(SqlClient conn, List<Enrolment> enrolments) {
        if (enrolments.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return conn.preparedQuery("""
                insert into commission.enrolment (member_id, member_code, sponsor_id, period, registered_at, source_event)
                select * from unnest($1::bigint[], $2::text[], $3::bigint[], $4::text[], $5::timestamptz[], $6::uuid[])
                on conflict (member_id) do nothing""")
                .execute(Tuple.tuple().addArrayOfLong(enrolments.stream().map(Enrolment::memberId).toArray(Long[]::new))
                        .addArrayOfString(enrolments.stream().map(Enrolment::memberCode).toArray(String[]::new))
                        .addArrayOfLong(enrolments.stream().map(Enrolment::sponsorId).toArray(Long[]::new))
                        .addArrayOfString(enrolments.stream().map(Enrolment::period).toArray(String[]::new))
                        .addArrayOfOffsetDateTime(enrolments.stream().map(Enrolment::registeredAt).toArray(OffsetDateTime[]::new))
                        .addArrayOfUUID(enrolments.stream().map(Enrolment::sourceEvent).toArray(UUID[]::new)))
                .replaceWithVoid();
    }

    /** Records the ranks (one change per member, the latest), each only over an older one. */
    public Uni<Void> ranks(SqlClient conn, List<RankChange> changes) {
        if (changes.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return conn.preparedQuery("""
                insert into commission.member_rank (member_id, rank, previous, changed_at, source_event)
                select * from unnest($1::bigint[], $2::text[], $3::text[], $4::timestamptz[], $5::uuid[]) order by 1
                on conflict (member_id) do update set rank = excluded.rank, previous = excluded.previous, changed_at = excluded.changed_at,
                       source_event = excluded.source_event
                 where commission.member_rank.changed_at <= excluded.changed_at""")
                .execute(Tuple.tuple().addArrayOfLong(changes.stream().map(RankChange::memberId).toArray(Long[]::new))
                        .addArrayOfString(changes.stream().map(RankChange::rank).toArray(String[]::new))
                        .addArrayOfString(changes.stream().map(RankChange::previous).toArray(String[]::new))
                        .addArrayOfOffsetDateTime(changes.stream().map(RankChange::changedAt).toArray(OffsetDateTime[]::new))
                        .addArrayOfUUID(changes.stream().map(RankChange::sourceEvent).toArray(UUID[]::new)))
                .replaceWithVoid();
    }
}
