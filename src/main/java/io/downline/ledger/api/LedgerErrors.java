package io.downline.ledger.api;

import io.downline.common.problem.ProblemException;
import io.downline.common.problem.ProblemType;
import io.vertx.pgclient.PgException;

/** Turns the ledger functions' own SQLSTATEs (see V3__ledger.sql) into problems; anything else passes through. */
public final class LedgerErrors {

    private LedgerErrors() {
    }

    public static Throwable translate(Throwable failure) {
        if (!(failure instanceof PgException pg)) {
            return failure;
        }
        return switch (pg.getSqlState()) {
            case "DLINS" -> new ProblemException(ProblemType.INSUFFICIENT_FUNDS, "The wallet's available balance does not cover this.");
            case "DLIDM" -> new ProblemException(ProblemType.IDEMPOTENCY_KEY_REUSED,
                    "This Idempotency-Key was already used with a different request; use a new key for a new request.");
            case "DLHLD" -> new ProblemException(ProblemType.CONFLICT, "The withdrawal's hold was already settled by another request.");
            case "DLOFF" -> new ProblemException(ProblemType.FORBIDDEN, "The company has switched transfers between distributors off.");
            case "DLNOM" -> new ProblemException(ProblemType.FORBIDDEN, "Only distributors have a wallet.");
            case "DLNTF" -> new ProblemException(ProblemType.NOT_FOUND, "No such member.");
            case "DLSLF" -> ProblemException.invalidField("toMemberCode", "must be another distributor");
            case "DLCUR" -> ProblemException.invalidField("amount", pg.getErrorMessage());
            case "DLINA" -> new ProblemException(ProblemType.CONFLICT, "That member cannot receive transfers now.");
            default -> failure;
        };
    }
}
