package io.downline;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

import org.eclipse.microprofile.openapi.annotations.Components;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.downline.common.money.Money;
import io.downline.common.problem.Problem;

/** Every resource lives under /api/v1; the problem responses every operation may answer are in {@link io.downline.common.openapi.ContractFilter}. */
@ApplicationPath("/api/v1")
@OpenAPIDefinition(
        info = @Info(title = "Downline API", version = "1.0.0",
                description = "Headless back office for direct-selling companies. JSON in camelCase, timestamps in ISO 8601 UTC, "
                        + "money as {\"amount\": \"1234.50\", \"currency\": \"INR\"}, errors as RFC 9457 problem+json, "
                        + "cursor pagination, Idempotency-Key on creating POSTs."),
        components = @Components(schemas = {
                @Schema(name = "Problem", implementation = Problem.class),
                @Schema(name = "Money", implementation = Money.class) }),
        tags = {
                @Tag(name = "Auth", description = "Tokens: log in, refresh, log out"),
                @Tag(name = "Users", description = "Accounts and the current user"),
                @Tag(name = "Genealogy", description = "Registration, the sponsor and placement trees, downline questions, volumes"),
                @Tag(name = "Plan", description = "The company's plan, in versions"),
                @Tag(name = "Wallet", description = "Wallet balances, statements and transfers between distributors"),
                @Tag(name = "Ledger", description = "The double-entry ledger: adjustments, reversals, commission credits, verification, settings"),
                @Tag(name = "Withdrawals", description = "Bank accounts, withdrawals with maker-checker approval, payout batches"),
                @Tag(name = "TDS", description = "PANs, tax deducted at source on commissions, quarterly returns and certificates"),
                @Tag(name = "Commerce", description = "Catalogue, tax rates, warehouses and stock, orders, payments, returns, reports"),
                @Tag(name = "Invoices", description = "Tax invoices and credit notes as JSON, PDF and e-invoice"),
                @Tag(name = "Audit", description = "The hash-chained log of staff actions: query, CSV export, verification"),
                @Tag(name = "Grievances", description = "Grievances of distributors and customers, with the statutory deadlines")
        })
public class DownlineApi extends Application {
}
