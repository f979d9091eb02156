package io.downline.commission.app;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import jakarta.enterprise.context.ApplicationScoped;

import io.downline.commission.api.CommissionModels.LineView;
import io.downline.commission.store.LineStore;
import io.downline.genealogy.api.NetworkReads.MemberRef;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.MultiEmitter;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * New commission lines of one member as they commit, whichever instance wrote them: every commit that writes lines
 * sends a NOTIFY naming the members, and each open stream of such a member reads its lines after the last one it sent.
 */
@ApplicationScoped
public class EarningsStream {

    private static final int PAGE = 200;

    private final Pool pool;
    private final LineStore lines;
    private final Notifications notifications;

    public EarningsStream(EnginePool pool, LineStore lines, Notifications notifications) {
        this.pool = pool.pool();
        this.lines = lines;
        this.notifications = notifications;
    }

    /** Lines after {@code after} (a line id; null: from now on), then each new one as it commits. */
    public Multi<LineView> stream(MemberRef member, Long after) {
        Uni<Long> start = after != null ? Uni.createFrom().item(after) : lines.lastId(pool, member.id());
        return start.onItem().transformToMulti(from -> Multi.createFrom().<LineView>emitter(emitter -> {
            Follower follower = new Follower(member.id(), from, emitter);
            String id = Long.toString(member.id());
            Consumer<String> listener = payload -> {
                if (id.equals(payload)) {
                    follower.catchUp();
                }
            };
            notifications.listen(LineStore.CHANNEL, listener);
            emitter.onTermination(() -> notifications.unlisten(LineStore.CHANNEL, listener));
            follower.catchUp();
        }));
    }

    /** Sends one member's lines in id order, one read at a time; a notification during a read triggers one more. */
    private final class Follower {
        private final long memberId;
        private final AtomicLong last;
        private final MultiEmitter<? super LineView> emitter;
        private final AtomicBoolean reading = new AtomicBoolean();
        private final AtomicBoolean again = new AtomicBoolean();

        Follower(long memberId, long from, MultiEmitter<? super LineView> emitter) {
            this.memberId = memberId;
            this.last = new AtomicLong(from);
            this.emitter = emitter;
        }

        void catchUp() {
            again.set(true);
            if (!reading.compareAndSet(false, true)) {
                return;
            }
            again.set(false);
            lines.forMemberAfter(pool, memberId, last.get(), PAGE).subscribe().with(found -> {
                for (LineStore.StoredLine line : found) {
                    if (emitter.isCancelled()) {
                        return;
                    }
                    last.set(line.id());
                    emitter.emit(Earnings.view(line));
                }
                reading.set(false);
                if (found.size() == PAGE || again.get()) {
                    catchUp();
                }
            }, failure -> {
                reading.set(false);
                emitter.fail(failure);
            });
        }
    }
}
