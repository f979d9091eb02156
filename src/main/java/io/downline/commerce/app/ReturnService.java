package io.downline.commerce.app;

import io.downline.genealogy.api.Volumes;

import io.downline.commerce.app.OrderService;

import io.downline.identity.api.Caller;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.downline.common.db.Transactions;
import io.downline.commerce.api.CommerceModels.DocumentRef;
import io.downline.commerce.api.CommerceModels.MovementKind;
import io.downline.commerce.api.CommerceModels.RefundStatus;
import io.downline.commerce.api.CommerceModels.ReturnLine;
import io.downline.commerce.api.CommerceModels.ReturnRequest;
import io.downline.commerce.api.CommerceModels.ReturnView;
import io.downline.commerce.store.OrderRepository.StoredLine;
import io.downline.commerce.store.OrderRepository.StoredOrder;
import io.downline.commerce.store.StockRepository.Movement;
import io.downline.commerce.store.StockRepository.Warehouse;
import io.downline.common.money.Money;
import io.downline.common.paging.Page;
import io.downline.common.problem.ProblemException;
import io.downline.common.problem.ProblemType;
import io.downline.genealogy.api.NetworkPlans;
import io.downline.tax.api.DocumentType;
import io.downline.tax.api.InvoiceDocument;
import io.downline.tax.api.Invoices;
import io.downline.tax.api.LineTax;
import io.downline.tax.api.TaxStrategies;
import io.downline.tax.api.TaxedLine;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.downline.commerce.store.OrderRepository;
import io.downline.commerce.store.StockRepository;

/**
 * Returns within the window: in one transaction the goods go back into stock, the volume comes off the buyer's current
 * period, a credit note against the invoice is issued, the refund is recorded and order.refunded goes to the outbox.
 */
@ApplicationScoped
public class ReturnService {

    private final Volumes volumes;
    private final OrderRepository orders;
    private final OrderService orderService;
    private final StockRepository stock;
    private final Invoices invoices;
    private final TaxStrategies strategies;
    private final NetworkPlans plans;
    private final CommerceConfig config;
    private final Pool pool;

    public ReturnService(Volumes volumes, OrderRepository orders, OrderService orderService, StockRepository stock, Invoices invoices,
            TaxStrategies strategies, NetworkPlans plans, CommerceConfig config, Pool pool) {
        this.volumes = volumes;
        this.orders = orders;
        this.orderService = orderService;
        this.stock = stock;
        this.invoices = invoices;
        this.strategies = strategies;
        this.plans = plans;
        this.config = config;
        this.pool = pool;
    }

    public Uni<ReturnView> create(UUID orderId, ReturnRequest request, Caller actor) {
        return plans.current().chain(plan -> Transactions.retrying(pool, conn -> orders.order(conn, orderId, true).chain(order -> {
            if (order == null) {
                throw OrderRepository.unknownOrder(orderId);
            }
            if (!order.paid()) {
                throw CommerceProblems.conflict("Order " + orderId + " is not paid; there is nothing to return.");
            }
            Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
            Instant windowEnd = order.paidAt().plus(Duration.ofDays(config.returnWindowDays()));
            if (now.isAfter(windowEnd)) {
                throw CommerceProblems.returnWindowClosed("The return window of " + config.returnWindowDays()
                        + " days for this order ended at " + windowEnd + ".");
            }
            Map<Integer, Integer> quantities = quantities(order, request);
            String period = plan.plan().periodOf(LocalDate.ofInstant(now, ZoneOffset.UTC));
            Uni<Warehouse> target = request.warehouse() == null ? stock.warehouse(conn, order.warehouseId())
                    : stock.warehouse(conn, request.warehouse()).map(w -> {
                        if (w == null || !w.active() || !w.country().equals(order.delivery().country())) {
                            throw ProblemException.invalidField("warehouse", "must be an active warehouse in " + order.delivery().country());
                        }
                        return w;
                    });
            // support staff take goods back only into a warehouse they represent; admins anywhere
            return target.call(warehouse -> actor.admin() ? Uni.createFrom().voidItem()
                    : stock.isEmployee(conn, warehouse.id(), actor.userId()).invoke(employee -> {
                        if (!employee) {
                            throw new ProblemException(ProblemType.FORBIDDEN, "Only an admin or a representative of " + warehouse.code()
                                    + " may take goods back into it.");
                        }
                    }))
                    .chain(warehouse -> process(conn, order, quantities, warehouse, request.reason().trim(), period, now, actor));
        })));
    }

    /** Line number to units coming back; all that is not yet returned when the request lists no lines. */
    private static Map<Integer, Integer> quantities(StoredOrder order, ReturnRequest request) {
        Map<Integer, Integer> quantities = new LinkedHashMap<>();
        if (request.lines() == null || request.lines().isEmpty()) {
            order.lines().stream().filter(l -> l.quantity() > l.returned()).forEach(l -> quantities.put(l.lineNo(), l.quantity() - l.returned()));
            if (quantities.isEmpty()) {
                throw CommerceProblems.conflict("Everything on this order has already been returned.");
            }
            return quantities;
        }
        for (int i = 0; i < request.lines().size(); i++) {
            ReturnLine line = request.lines().get(i);
            String field = "lines[" + i + "]";
            StoredLine stored = order.lines().stream().filter(l -> l.lineNo() == line.lineNo()).findFirst()
                    .orElseThrow(() -> ProblemException.invalidField(field + ".lineNo", "the order has no such line"));
            if (quantities.containsKey(line.lineNo())) {
                throw ProblemException.invalidField(field + ".lineNo", "is listed twice");
            }
            if (line.quantity() > stored.quantity() - stored.returned()) {
                throw ProblemException.invalidField(field + ".quantity", "at most " + (stored.quantity() - stored.returned())
                        + " units of this line can still be returned");
            }
            quantities.put(line.lineNo(), line.quantity());
        }
        return quantities;
    }

    private Uni<ReturnView> process(SqlClient conn, StoredOrder order, Map<Integer, Integer> quantities, Warehouse warehouse, String reason,
            String period, Instant now, Caller actor) {
        List<StoredLine> returning = order.lines().stream().filter(l -> quantities.containsKey(l.lineNo()))
                .sorted(Comparator.comparingLong(StoredLine::productId)).toList();
        List<TaxedLine> credited = new ArrayList<>();
        BigDecimal pv = BigDecimal.ZERO;
        BigDecimal bv = BigDecimal.ZERO;
        for (StoredLine line : order.lines()) {
            Integer quantity = quantities.get(line.lineNo());
            if (quantity != null) {
                credited.add(credit(line, quantity));
                pv = pv.add(share(line.pv(), line, quantity));
                bv = bv.add(share(line.bv(), line, quantity));
            }
        }
        BigDecimal returnedPv = pv;
        BigDecimal returnedBv = bv;
        BigDecimal refund = refund(order, quantities);
        UUID returnId = UUID.randomUUID();
        LocalDate noteDate = LocalDate.ofInstant(now, strategies.of(order.delivery().country(), "country").zone());
        return Transactions.each(returning, line -> stock.change(conn, warehouse.id(), line.productId(), quantities.get(line.lineNo()))
                .map(balance -> new Movement(warehouse.id(), line.productId(), MovementKind.RETURN, quantities.get(line.lineNo()), balance,
                        null, "return " + returnId + " of order " + order.id(), actor.name(), order.id())))
                .chain(movements -> stock.insertMovements(conn, movements))
                .chain(() -> Transactions.each(returning, line -> orders.addReturned(conn, order.id(), line.lineNo(), quantities.get(line.lineNo()))))
                .chain(() -> volumes.record(conn, period, order.distributorId(), returnedPv.negate(), returnedBv.negate(), "return",
                        returnId.toString(), actor.name()))
                .chain(() -> stock.warehouse(conn, order.warehouseId()))
                // the credit note is the supplier's, so it takes the series of the warehouse that invoiced
                .chain(seller -> invoices.issue(conn, new Invoices.Draft(DocumentType.CRN, seller.invoiceSeries(), noteDate, now,
                        order.id(), order.invoiceId(), original(order), orderService.seller(seller), OrderService.buyer(order),
                        OrderService.delivery(order), order.supplyType(), order.currency(), credited, order.distributorId(),
                        order.warehouseId(), config.signatory() + ", " + config.sellerName())))
                .chain(note -> orders.insertReturn(conn, returnId, order, warehouse.id(), note.id(), refund, reason,
                        period, actor.name(), now, lines(quantities))
                        .chain(() -> orders.publish(conn, "order.refunded",
                                refundedEvent(order, returnId, note, refund, returnedPv, returnedBv, period)))
                        .replaceWith(new ReturnView(returnId, order.id(), warehouse.code(), new DocumentRef(note.id(), note.number()),
                                Money.of(refund, order.currency()), RefundStatus.RECORDED, period, returnLines(quantities), reason, now)));
    }

    /**
     * What goes back to the buyer: the whole-rupee (or tenge) total of everything credited so far, including this
     * return, minus that of everything credited before. Each credit note rounds on its own, so refunding their totals
     * could pay back more (or less) than the order cost; this way the refunds of an order add up to exactly what was
     * paid once all of it is returned.
     */
    static BigDecimal refund(StoredOrder order, Map<Integer, Integer> quantities) {
        BigDecimal before = BigDecimal.ZERO;
        BigDecimal after = BigDecimal.ZERO;
        for (StoredLine line : order.lines()) {
            before = before.add(credited(line, line.returned()));
            after = after.add(credited(line, line.returned() + quantities.getOrDefault(line.lineNo(), 0)));
        }
        return whole(after).subtract(whole(before));
    }

    /** The line's taxable value and taxes for its first {@code units} units, each part rounded as the credit notes round it. */
    private static BigDecimal credited(StoredLine line, int units) {
        LineTax tax = line.tax();
        BigDecimal sum = BigDecimal.ZERO;
        for (BigDecimal part : List.of(line.taxable(), tax.cgst(), tax.sgst(), tax.utgst(), tax.igst(), tax.vat())) {
            sum = sum.add(portion(part, units, line.quantity()));
        }
        return sum;
    }

    private static BigDecimal whole(BigDecimal amount) {
        return amount.setScale(0, RoundingMode.HALF_UP).setScale(2);
    }

    /**
     * The credit for some units of a line: the line's amounts for all units returned so far, minus those for the units
     * returned before, each rounded. The credits of a line therefore add up exactly to the line once it is all returned.
     */
    static TaxedLine credit(StoredLine line, int quantity) {
        int before = line.returned();
        int after = before + quantity;
        LineTax tax = line.tax();
        LineTax credited = new LineTax(part(tax.cgst(), line, before, after), part(tax.sgst(), line, before, after),
                part(tax.utgst(), line, before, after), part(tax.igst(), line, before, after), part(tax.vat(), line, before, after));
        return new TaxedLine(line.name(), line.hsn(), line.unit(), quantity, line.unitPrice(), part(line.taxable(), line, before, after),
                line.rate(), credited);
    }

    private static BigDecimal part(BigDecimal amount, StoredLine line, int before, int after) {
        return portion(amount, after, line.quantity()).subtract(portion(amount, before, line.quantity()));
    }

    private static BigDecimal portion(BigDecimal amount, int units, int of) {
        return amount.multiply(BigDecimal.valueOf(units)).divide(BigDecimal.valueOf(of), 2, RoundingMode.HALF_UP);
    }

    private static BigDecimal share(BigDecimal amount, StoredLine line, int quantity) {
        return part(amount, line, line.returned(), line.returned() + quantity);
    }

    private InvoiceDocument.Original original(StoredOrder order) {
        return new InvoiceDocument.Original(order.invoiceNumber(), LocalDate.ofInstant(order.paidAt(),
                strategies.of(order.delivery().country(), "country").zone()));
    }

    private static JsonArray lines(Map<Integer, Integer> quantities) {
        JsonArray lines = new JsonArray();
        quantities.forEach((lineNo, quantity) -> lines.add(new JsonObject().put("lineNo", lineNo).put("quantity", quantity)));
        return lines;
    }

    private static List<ReturnLine> returnLines(Map<Integer, Integer> quantities) {
        List<ReturnLine> lines = new ArrayList<>();
        quantities.forEach((lineNo, quantity) -> lines.add(new ReturnLine(lineNo, quantity)));
        return lines;
    }

    private static JsonObject refundedEvent(StoredOrder order, UUID returnId, InvoiceDocument note, BigDecimal refund, BigDecimal pv,
            BigDecimal bv, String period) {
        return new JsonObject().put("orderId", order.id().toString()).put("returnId", returnId.toString())
                .put("memberCode", order.memberCode()).put("distributorId", order.distributorId()).put("period", period)
                .put("pv", pv.negate().toPlainString()).put("bv", bv.negate().toPlainString()).put("currency", order.currency())
                .put("taxable", note.totals().taxable().amount().toPlainString()).put("refund", refund.toPlainString())
                .put("creditNoteId", note.id().toString()).put("creditNoteNumber", note.number());
    }

    /** An order's returns, oldest first: a handful at most (each takes back at least one unit), so one whole page. */
    public Uni<Page<ReturnView>> returns(UUID orderId, Caller actor) {
        return orderService.visible(pool, orderId, actor).chain(order -> orders.returns(pool, orderId)).map(Page::whole);
    }
}
