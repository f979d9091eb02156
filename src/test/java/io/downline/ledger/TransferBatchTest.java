package io.downline.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.downline.common.db.GroupCommit.Outcome;
import io.downline.ledger.store.LedgerRepository;
import io.downline.ledger.store.LedgerRepository.PostedTransfer;
import io.downline.ledger.store.LedgerRepository.TransferOrder;
import io.downline.support.Accounts;
import io.downline.support.Network;
import io.downline.support.Wallets;
import io.downline.support.Wallets.Member;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.pgclient.PgException;

/** One group-commit batch of transfers (ledger_transfer_batch): each transfer answered alone, refusals rolled back alone. */
@QuarkusTest
class TransferBatchTest {

    @Inject
    LedgerRepository ledger;

    @AfterEach
    void invariantsHold() {
        assertEquals(List.of(), Wallets.invariantViolations());
    }

    @Test
    void aBatchAnswersEveryTransferWithItsOwnResultAndKeepsOnlyTheOnesThatWentThrough() throws Exception {
        Accounts.Account admin = Accounts.create("admin");
        Wallets.settings(admin, true, "1.00", "100.00", "0.00", "1000000.00");
        Member asha = Wallets.member(admin, "Asha Batched");
        Member bala = Wallets.member(admin, "Bala Batched");
        Wallets.fund(admin, asha.code(), "100.00");
        UUID ashaUser = user(asha);
        UUID balaUser = user(bala);
        String once = UUID.randomUUID().toString();
        List<TransferOrder> batch = List.of(
                order(ashaUser, once, "aa01", bala.code(), 1000),
                order(ashaUser, once, "aa01", bala.code(), 1000),
                order(ashaUser, UUID.randomUUID().toString(), "aa02", bala.code(), 100_000),
                order(ashaUser, UUID.randomUUID().toString(), "aa03", "NOBODY1", 100),
                order(balaUser, UUID.randomUUID().toString(), "aa04", asha.code(), 500),
                order(ashaUser, UUID.randomUUID().toString(), "aa05", asha.code(), 100),
                order(ashaUser, once, "aa06", bala.code(), 1000));

        List<Outcome<PostedTransfer>> outcomes = ledger.pool().withTransaction(conn -> ledger.transfers(conn, batch))
                .subscribeAsCompletionStage().get(30, TimeUnit.SECONDS);

        assertEquals(batch.size(), outcomes.size());
        PostedTransfer first = outcomes.get(0).result();
        assertEquals(false, first.replayed());
        assertEquals(1000, first.amount());
        assertEquals(100, first.fee());
        assertEquals(100_00 - 1000 - 100, first.senderBalanceAfter());
        PostedTransfer again = outcomes.get(1).result();
        assertEquals(true, again.replayed(), "the same key and body in the same batch replays the first");
        assertEquals(first.txnId(), again.txnId());
        assertEquals(first.senderBalanceAfter(), again.senderBalanceAfter());
        assertEquals("DLINS", state(outcomes.get(2)));
        assertEquals("DLNTF", state(outcomes.get(3)));
        PostedTransfer back = outcomes.get(4).result();
        assertNull(outcomes.get(4).failure());
        assertEquals(1000 - 500 - 100, back.senderBalanceAfter(), "the batch's later transfers see its earlier ones");
        assertEquals("DLSLF", state(outcomes.get(5)));
        assertEquals("DLIDM", state(outcomes.get(6)));

        assertEquals("94.00", Wallets.available(asha));
        assertEquals("4.00", Wallets.available(bala));
        assertEquals("2", Network.query("select count(*) from ledger.ledger_txn where type = 'TRANSFER' and metadata ->> 'from' in (?, ?)",
                asha.code(), bala.code()));
    }

    private static TransferOrder order(UUID user, String key, String hash, String to, long amount) {
        return new TransferOrder("batch-test", key, hash, user, to, amount, "INR", "batched");
    }

    private static UUID user(Member member) {
        return UUID.fromString(Network.query("select user_id::text from genealogy.distributor where member_code = ?", member.code()));
    }

    private static String state(Outcome<?> outcome) {
        assertTrue(outcome.failure() instanceof PgException, String.valueOf(outcome.failure()));
        return ((PgException) outcome.failure()).getSqlState();
    }
}
