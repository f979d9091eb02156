package io.downline.commerce.app;

import io.downline.identity.api.Caller;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.downline.audit.api.AuditEvent;
import io.downline.audit.api.AuditSubjects;
import io.downline.audit.api.AuditTrail;
import io.downline.common.db.Transactions;
import io.downline.commerce.api.CommerceModels.ExpenseRequest;
import io.downline.commerce.api.CommerceModels.ExpenseView;
import io.downline.commerce.api.CommerceModels.MovementKind;
import io.downline.commerce.api.CommerceModels.StockMovementRequest;
import io.downline.commerce.api.CommerceModels.StockMovementView;
import io.downline.commerce.api.CommerceModels.StockView;
import io.downline.commerce.api.CommerceModels.WarehouseRequest;
import io.downline.commerce.api.CommerceModels.WarehouseView;
import io.downline.commerce.store.StockRepository.Movement;
import io.downline.commerce.store.StockRepository.Warehouse;
import io.downline.common.money.Money;
import io.downline.common.paging.Page;
import io.downline.common.paging.PageRequest;
import io.downline.common.problem.ProblemException;
import io.downline.common.problem.ProblemType;
import io.downline.tax.api.Gstin;
import io.downline.tax.api.TaxStrategies;
import io.downline.tax.api.TaxStrategy;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.downline.commerce.store.StockRepository;

/** Warehouses, their representatives, and the stock movements that employees make (receipts, adjustments, transfers). */
@ApplicationScoped
public class WarehouseService {

    @Schema(name = "WarehouseActivity", description = "Goods received and expenses of a warehouse in a date range, per employee")
    public record ActivityView(@Schema(required = true, example = "MUM-1") String warehouse, @Schema(required = true, example = "2026-11-01") LocalDate from,
            @Schema(required = true, example = "2026-11-30") LocalDate to, @Schema(required = true) List<ActivityRow> employees, @Schema(required = true) Money receivedValue, @Schema(required = true) Money expenses) {
    }

    @Schema(name = "WarehouseActivityRow", description = "One employee's receipts and expenses")
    public record ActivityRow(@Schema(required = true, example = "rep-mumbai") String employee, @Schema(required = true, example = "4") int receipts,
            @Schema(required = true, example = "400") int receivedUnits, @Schema(required = true) Money receivedValue, @Schema(required = true, example = "2") int expenseCount, @Schema(required = true) Money expenses) {
    }

    private final StockRepository repository;
    private final TaxStrategies strategies;
    private final Pool pool;
    private final AuditTrail audit;

    public WarehouseService(StockRepository repository, TaxStrategies strategies, Pool pool, AuditTrail audit) {
        this.audit = audit;
        this.repository = repository;
        this.strategies = strategies;
        this.pool = pool;
    }

    public Uni<WarehouseView> create(WarehouseRequest request, String actor) {
        TaxStrategy strategy = strategies.of(request.country(), "country");
        String regionProblem = strategy.regionProblem(request.region());
        if (regionProblem != null) {
            throw ProblemException.invalidField("region", regionProblem);
        }
        if ("IN".equals(request.country())) {
            String gstinProblem = Gstin.problem(request.taxId());
            if (gstinProblem != null) {
                throw ProblemException.invalidField("taxId", gstinProblem);
            }
            if (!Gstin.stateCode(request.taxId()).equals(request.region())) {
                throw ProblemException.invalidField("taxId", "must be the company's GSTIN in state " + request.region());
            }
        } else if (!request.taxId().matches("[0-9]{12}")) {
            throw ProblemException.invalidField("taxId", "must be the 12-digit BIN");
        }
        return pool.withTransaction(conn -> repository.insertWarehouse(conn, request).chain(() -> repository.warehouseView(conn, request.code()))
                .call(created -> audit.record(conn, AuditEvent.of(actor, "WAREHOUSE_CREATED", AuditSubjects.WAREHOUSE, created.code(), null,
                        created, null))));
    }

    public Uni<Page<WarehouseView>> warehouses(PageRequest page) {
        List<String> after = page.after();
        return repository.warehouses(pool, after == null ? null : after.get(0), page.limit + 1)
                .map(rows -> page.page(rows, w -> List.of(w.code())));
    }

    public Uni<WarehouseView> addEmployee(String code, String username, String actor) {
        return pool.withTransaction(conn -> existing(conn, code).chain(w -> repository.warehouseView(conn, code).chain(before -> repository
                .addEmployee(conn, w.id(), username)
                .invoke(found -> {
                    if (!found) {
                        throw ProblemException.invalidField("username", "no account has this username");
                    }
                })
                .chain(() -> repository.warehouseView(conn, code))
                .call(after -> audit.record(conn, AuditEvent.of(actor, "WAREHOUSE_EMPLOYEE_ADDED", AuditSubjects.WAREHOUSE, code, before,
                        after, null))))));
    }

    /**
     * A receipt, an adjustment or a transfer, in one transaction. A transfer changes both warehouses' rows in id order
     * (the same order every transaction uses), so two opposite transfers cannot deadlock.
     */
    public Uni<Page<StockMovementView>> move(String code, StockMovementRequest request, Caller actor) {
        int quantity = request.quantity();
        switch (request.kind()) {
            case RECEIPT -> {
                if (quantity <= 0) {
                    throw ProblemException.invalidField("quantity", "a receipt adds at least one unit");
                }
                if (request.unitCost() != null && request.unitCost().isNegative()) {
                    throw ProblemException.invalidField("unitCost.amount", "must not be negative");
                }
            }
            case ADJUSTMENT -> {
                if (quantity == 0) {
                    throw ProblemException.invalidField("quantity", "an adjustment changes the quantity");
                }
            }
            case TRANSFER_OUT -> {
                if (quantity <= 0) {
                    throw ProblemException.invalidField("quantity", "a transfer moves at least one unit");
                }
                if (request.toWarehouse() == null || request.toWarehouse().equals(code)) {
                    throw ProblemException.invalidField("toWarehouse", "a transfer needs another receiving warehouse");
                }
            }
            default -> throw ProblemException.invalidField("kind", "must be RECEIPT, ADJUSTMENT or TRANSFER_OUT");
        }
        if (request.kind() != MovementKind.RECEIPT && request.unitCost() != null) {
            throw ProblemException.invalidField("unitCost", "only a receipt has a cost");
        }
        if (request.kind() != MovementKind.TRANSFER_OUT && request.toWarehouse() != null) {
            throw ProblemException.invalidField("toWarehouse", "only a transfer has a receiving warehouse");
        }
        return Transactions.retrying(pool, conn -> existing(conn, code)
                .call(w -> mayMove(conn, w, actor))
                .chain(w -> repository.productId(conn, request.sku()).chain(productId -> {
                    if (productId == null) {
                        throw ProblemException.invalidField("sku", "no product has this SKU");
                    }
                    if (request.unitCost() != null && !request.unitCost().currency().equals(strategies.of(w.country(), "country").currency())) {
                        throw ProblemException.invalidField("unitCost.currency", "must be the warehouse's currency");
                    }
                    if (request.kind() != MovementKind.TRANSFER_OUT) {
                        return apply(conn, List.of(new Step(w, productId, request.kind(), quantity)), request, actor);
                    }
                    return repository.warehouse(conn, request.toWarehouse()).chain(target -> {
                        if (target == null || !target.country().equals(w.country())) {
                            throw ProblemException.invalidField("toWarehouse", "must be a warehouse in the same country");
                        }
                        List<Step> steps = new ArrayList<>(List.of(new Step(w, productId, MovementKind.TRANSFER_OUT, -quantity),
                                new Step(target, productId, MovementKind.TRANSFER_IN, quantity)));
                        steps.sort(Comparator.comparingLong(step -> step.warehouse().id()));
                        return apply(conn, steps, request, actor);
                    });
                })));
    }

    private record Step(Warehouse warehouse, long productId, MovementKind kind, int delta) {
    }

    private Uni<Page<StockMovementView>> apply(SqlClient conn, List<Step> steps, StockMovementRequest request, Caller actor) {
        return Transactions.each(steps, step -> repository.change(conn, step.warehouse().id(), step.productId(), step.delta())
                .map(balance -> {
                    if (balance == null) {
                        throw CommerceProblems.outOfStock("Warehouse " + step.warehouse().code() + " has fewer than " + -step.delta()
                                + " units of " + request.sku() + ".");
                    }
                    return new Movement(step.warehouse().id(), step.productId(), step.kind(), step.delta(), balance, request.unitCost(),
                            request.reason().trim(), actor.name(), null);
                }))
                .chain(movements -> repository.insertMovements(conn, movements))
                .chain(ids -> repository.movements(conn, ids))
                .map(Page::whole);
    }

    public Uni<Page<StockView>> stock(String code, PageRequest page) {
        List<String> after = page.after();
        return existing(pool, code).chain(w -> repository.stock(pool, w.id(), after == null ? null : after.get(0), page.limit + 1))
                .map(rows -> page.page(rows, level -> List.of(level.sku())));
    }

    public Uni<Page<StockMovementView>> movements(String code, PageRequest page) {
        Long after = page.afterNumber();
        long before = after == null ? Long.MAX_VALUE : after;
        return existing(pool, code).chain(w -> repository.movements(pool, w.id(), before, page.limit + 1))
                .map(rows -> page.page(rows, m -> List.of(Long.toString(m.id()))));
    }

    public Uni<ExpenseView> addExpense(String code, ExpenseRequest expense, Caller actor) {
        if (expense.amount().amount().signum() <= 0) {
            throw ProblemException.invalidField("amount.amount", "must be more than zero");
        }
        return pool.withTransaction(conn -> existing(conn, code).call(w -> mayMove(conn, w, actor)).chain(w -> {
            if (!expense.amount().currency().equals(strategies.of(w.country(), "country").currency())) {
                throw ProblemException.invalidField("amount.currency", "must be the warehouse's currency");
            }
            return repository.insertExpense(conn, w, expense, actor.name());
        }));
    }

    public Uni<ActivityView> activity(String code, LocalDate from, LocalDate to) {
        if (to.isBefore(from)) {
            throw ProblemException.invalidField("to", "must not be before from");
        }
        return existing(pool, code).chain(w -> {
            String currency = strategies.of(w.country(), "country").currency();
            return repository.activity(pool, w.id(), from, to).map(rows -> {
                List<ActivityRow> employees = new ArrayList<>();
                Money received = Money.zero(currency);
                Money spent = Money.zero(currency);
                for (StockRepository.ActivityRow row : rows) {
                    Money value = Money.of(row.receivedValue().setScale(2, java.math.RoundingMode.HALF_UP), currency);
                    Money expenses = Money.of(row.expenses(), currency);
                    employees.add(new ActivityRow(row.actor(), row.receipts(), row.receivedUnits(), value, row.expenseCount(), expenses));
                    received = received.plus(value);
                    spent = spent.plus(expenses);
                }
                return new ActivityView(code, from, to, employees, received, spent);
            });
        });
    }

    /** Admins move any warehouse's stock; a representative only their own warehouse's. */
    private Uni<Void> mayMove(SqlClient conn, Warehouse warehouse, Caller actor) {
        if (actor.admin()) {
            return Uni.createFrom().voidItem();
        }
        return repository.isEmployee(conn, warehouse.id(), actor.userId()).invoke(employee -> {
            if (!employee) {
                throw new ProblemException(ProblemType.FORBIDDEN, "Only an admin or a representative of " + warehouse.code()
                        + " may do this.");
            }
        }).replaceWithVoid();
    }

    private Uni<Warehouse> existing(SqlClient conn, String code) {
        return repository.warehouse(conn, code).map(w -> {
            if (w == null) {
                throw CommerceProblems.notFound("No warehouse has code " + code + ".");
            }
            return w;
        });
    }
}
