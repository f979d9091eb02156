package io.downline.commerce.app;

import io.downline.genealogy.api.Volumes;

import io.downline.commerce.api.Purchases;

import io.downline.identity.api.Caller;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.downline.common.db.Transactions;
import io.downline.commerce.store.CatalogueRepository.Sellable;
import io.downline.commerce.api.CommerceModels.Address;
import io.downline.commerce.api.CommerceModels.CartLine;
import io.downline.commerce.api.CommerceModels.CheckoutRequest;
import io.downline.commerce.api.CommerceModels.DocumentRef;
import io.downline.commerce.api.CommerceModels.OrderStatus;
import io.downline.commerce.api.CommerceModels.OrderLineView;
import io.downline.commerce.api.CommerceModels.OrderView;
import io.downline.commerce.store.OrderRepository.Buyer;
import io.downline.commerce.store.OrderRepository.StoredLine;
import io.downline.commerce.store.OrderRepository.StoredOrder;
import io.downline.commerce.store.StockRepository.Warehouse;
import io.downline.common.money.Money;
import io.downline.common.paging.Page;
import io.downline.common.paging.PageRequest;
import io.downline.common.problem.ProblemException;
import io.downline.common.problem.ProblemType;
import io.downline.genealogy.api.Plan;
import io.downline.genealogy.api.NetworkPlans;
import io.downline.tax.api.DocumentType;
import io.downline.tax.api.Gstin;
import io.downline.tax.api.InvoiceDocument;
import io.downline.tax.api.InvoiceDocument.Party;
import io.downline.tax.api.Invoices;
import io.downline.tax.api.StateCodes;
import io.downline.tax.api.SupplyType;
import io.downline.tax.api.TaxStrategies;
import io.downline.tax.api.TaxStrategy;
import io.downline.tax.api.Totals;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.downline.common.db.GroupCommit;
import io.downline.common.db.GroupCommits;
import io.downline.commerce.api.CommerceModels;
import io.downline.commerce.store.CatalogueRepository;
import io.downline.commerce.store.OrderRepository;
import io.downline.commerce.store.StockRepository;

/**
 * Checkout prices and taxes an order from the catalogue and the rates in force; payment, in one transaction, takes the
 * stock, issues the invoice, records the buyer's personal volume and writes the order.paid event to the outbox.
 */
@ApplicationScoped
public class OrderService implements Purchases {

    private final Volumes volumes;
    private final OrderRepository orders;
    private final CatalogueRepository catalogue;
    private final StockRepository stock;
    private final Invoices invoices;
    private final TaxStrategies strategies;
    private final NetworkPlans plans;
    private final CommerceConfig config;
    private final Pool pool;
    private final GroupCommit<Payment, OrderView> payments;

    public OrderService(Volumes volumes, OrderRepository orders, CatalogueRepository catalogue, StockRepository stock, Invoices invoices,
            TaxStrategies strategies, NetworkPlans plans, CommerceConfig config, Pool pool, GroupCommits groupCommits) {
        this.volumes = volumes;
        this.orders = orders;
        this.catalogue = catalogue;
        this.stock = stock;
        this.invoices = invoices;
        this.strategies = strategies;
        this.plans = plans;
        this.config = config;
        this.pool = pool;
        // one batch at a time: a batch holds an invoice series from its first payment on, and the next payment's stock
        // rows after it, which is not the order single payments lock in; two batches could deadlock
        this.payments = groupCommits.create("payment", pool, 1, GroupCommit.eachInSavepoint(this::payIn));
    }

    private record Payment(UUID orderId, String reference, Money amount, Caller actor, Plan plan) {
    }

    // ---- checkout ------------------------------------------------------------------------------------------------

    public Uni<OrderView> checkout(CheckoutRequest request, Caller actor) {
        Address delivery = request.delivery();
        TaxStrategy strategy = strategies.of(delivery.country(), "delivery.country");
        String regionProblem = strategy.regionProblem(delivery.region());
        if (regionProblem != null) {
            throw ProblemException.invalidField("delivery.region", regionProblem);
        }
        String buyerGstin = request.customer() != null ? request.customer().gstin() : request.buyerGstin();
        String gstinField = request.customer() != null ? "customer.gstin" : "buyerGstin";
        if (request.customer() != null && request.buyerGstin() != null) {
            throw ProblemException.invalidField("buyerGstin", "give the customer's GSTIN in customer.gstin when ordering for a customer");
        }
        if (buyerGstin != null) {
            String problem = "IN".equals(delivery.country()) ? Gstin.problem(buyerGstin) : "only Indian buyers have a GSTIN";
            if (problem != null) {
                throw ProblemException.invalidField(gstinField, problem);
            }
        }
        Set<String> skus = new HashSet<>();
        for (int i = 0; i < request.lines().size(); i++) {
            if (!skus.add(request.lines().get(i).sku())) {
                throw ProblemException.invalidField("lines[" + i + "].sku", "is ordered twice; put the whole quantity on one line");
            }
        }
        LocalDate today = LocalDate.now(strategy.zone());
        // independent reads go out together on the connection (pipelined), saving round trips
        return pool.withTransaction(conn -> Uni.combine().all()
                .unis(buyer(conn, actor), catalogue.sellable(conn, List.copyOf(skus), delivery.country())).asTuple()
                .chain(found -> {
                    Buyer buyer = found.getItem1();
                    Map<String, Sellable> products = found.getItem2();
                    List<Sellable> ordered = new ArrayList<>();
                    for (int i = 0; i < request.lines().size(); i++) {
                        ordered.add(sellable(products.get(request.lines().get(i).sku()), i, delivery.country()));
                    }
                    List<String> hsnCodes = ordered.stream().map(Sellable::hsn).distinct().toList();
                    return Uni.combine().all()
                            .unis(catalogue.ratesOn(conn, delivery.country(), hsnCodes, today), chooseWarehouse(conn, request, ordered, delivery))
                            .asTuple()
                            .chain(chosen -> place(conn, request, actor, buyer, buyerGstin, strategy, ordered, chosen.getItem1(),
                                    chosen.getItem2(), today));
                }));
    }

    private Uni<Buyer> buyer(SqlClient conn, Caller actor) {
        return orders.buyerOfUser(conn, actor.userId()).map(buyer -> {
            if (buyer == null) {
                throw new ProblemException(ProblemType.FORBIDDEN, "Only an active distributor may check out.");
            }
            return buyer;
        });
    }

    private static Sellable sellable(Sellable product, int index, String country) {
        String field = "lines[" + index + "].sku";
        if (product == null) {
            throw ProblemException.invalidField(field, "no product has this SKU");
        }
        if (!product.active()) {
            throw ProblemException.invalidField(field, "is not on sale");
        }
        if (product.price() == null) {
            throw ProblemException.invalidField(field, "is not sold in " + country);
        }
        return product;
    }

    private Uni<Warehouse> chooseWarehouse(SqlClient conn, CheckoutRequest request, List<Sellable> ordered, Address delivery) {
        long[] ids = ordered.stream().mapToLong(Sellable::id).toArray();
        int[] quantities = request.lines().stream().mapToInt(CartLine::quantity).toArray();
        return orders.chooseWarehouse(conn, delivery.country(), delivery.region(), ids, quantities, config.warehouseRule())
                .map(warehouse -> {
                    if (warehouse == null) {
                        throw CommerceProblems.outOfStock("No warehouse in " + delivery.country() + " has every line of this order in stock.");
                    }
                    return warehouse;
                });
    }

    private Uni<OrderView> place(SqlClient conn, CheckoutRequest request, Caller actor, Buyer buyer, String buyerGstin,
            TaxStrategy strategy, List<Sellable> ordered, Map<String, BigDecimal> rates, Warehouse warehouse, LocalDate today) {
        SupplyType supplyType = strategy.supplyType(warehouse.region(), request.delivery().region());
        List<StoredLine> lines = new ArrayList<>();
        BigDecimal pv = BigDecimal.ZERO;
        BigDecimal bv = BigDecimal.ZERO;
        for (int i = 0; i < ordered.size(); i++) {
            Sellable product = ordered.get(i);
            BigDecimal rate = rates.get(product.hsn());
            if (rate == null) {
                throw CommerceProblems.conflict("No tax rate for HSN " + product.hsn() + " in " + strategy.country() + " on " + today
                        + "; an admin must add one.");
            }
            int quantity = request.lines().get(i).quantity();
            BigDecimal taxable = product.price().multiply(BigDecimal.valueOf(quantity));
            BigDecimal linePv = product.pv().multiply(BigDecimal.valueOf(quantity));
            BigDecimal lineBv = product.bv().multiply(BigDecimal.valueOf(quantity));
            lines.add(new StoredLine(i + 1, product.id(), product.sku(), product.name(), product.hsn(), product.unit(), quantity, 0,
                    product.price(), taxable, rate, strategy.tax(supplyType, taxable, rate), linePv, lineBv));
            pv = pv.add(linePv);
            bv = bv.add(lineBv);
        }
        Totals totals = Totals.of(lines.stream().map(StoredLine::taxed).toList());
        boolean forCustomer = request.customer() != null;
        String buyerName = forCustomer ? request.customer().name().trim() : buyer.fullName();
        StoredOrder order = new StoredOrder(UUID.randomUUID(), buyer.distributorId(), buyer.memberCode(), buyerName, buyerGstin, forCustomer,
                request.delivery(), warehouse.id(), warehouse.code(), strategy.currency(), supplyType, totals.taxable(), totals.tax(),
                totals.roundOff(), totals.total(), pv, bv, OrderStatus.PENDING, Instant.now().truncatedTo(ChronoUnit.MICROS), null, null, null, null,
                null, lines);
        return orders.insert(conn, order, actor.name()).replaceWith(() -> view(order));
    }

    // ---- payment -------------------------------------------------------------------------------------------------

    /**
     * Marks the order paid, once: a repeat with the same reference answers the paid order again; another reference for
     * a paid order is a conflict. Locks, always in this order: the order, its stock rows by product id, the buyer's
     * period volume, the invoice series counter.
     */
    public Uni<OrderView> pay(UUID orderId, String reference, Money amount, Caller actor) {
        // the plan is read before the batch: a second connection taken while holding one could starve the pool
        return plans.current().chain(plan -> payments.submit(new Payment(orderId, reference, amount, actor, plan.plan())));
    }

    /** One payment inside a group commit: many payments share the invoice series' lock hold and one commit. */
    private Uni<OrderView> payIn(SqlConnection conn, Payment payment) {
        UUID orderId = payment.orderId();
        return orders.order(conn, orderId, true).chain(order -> {
            if (order == null) {
                throw OrderRepository.unknownOrder(orderId);
            }
            if (order.paid()) {
                if (order.paymentReference().equals(payment.reference())) {
                    return Uni.createFrom().item(view(order));
                }
                throw CommerceProblems.conflict("Order " + orderId + " is already paid, with another payment reference.");
            }
            Money amount = payment.amount();
            if (!amount.currency().equals(order.currency()) || amount.amount().compareTo(order.grandTotal()) != 0) {
                throw ProblemException.invalidField("amount", "must equal the order's total, " + order.grandTotal().toPlainString() + " "
                        + order.currency());
            }
            return settle(conn, order, payment.reference(), payment.actor(), payment.plan());
        });
    }

    /**
     * A gateway notice: the money is already captured, so a refusal (wrong amount, paid before by another payment, rate
     * or stock changed since checkout, unknown order) is kept as a payment exception for finance before it is answered.
     */
    public Uni<OrderView> payFromGateway(UUID orderId, String reference, Money amount) {
        return pay(orderId, reference, amount, Caller.gateway())
                .onFailure(ProblemException.class).call(refused -> pool.withTransaction(conn -> orders.recordPaymentException(conn,
                        reference, orderId, amount.amount(), amount.currency(), ((ProblemException) refused).problem().detail())));
    }

    public Uni<Page<CommerceModels.PaymentExceptionView>> paymentExceptions(PageRequest page) {
        List<String> after = page.after();
        if (after != null && after.size() != 2) {
            throw PageRequest.invalidCursor();
        }
        Instant beforeReceived;
        try {
            beforeReceived = after == null ? Instant.parse("9999-12-31T00:00:00Z") : Instant.parse(after.get(0));
        } catch (RuntimeException e) {
            throw PageRequest.invalidCursor();
        }
        String beforeReference = after == null ? "" : after.get(1);
        return orders.paymentExceptions(pool, beforeReceived, beforeReference, page.limit + 1)
                .map(rows -> page.page(rows, e -> List.of(e.receivedAt().toString(), e.reference())));
    }

    private Uni<OrderView> settle(SqlClient conn, StoredOrder order, String reference, Caller actor, Plan plan) {
        TaxStrategy strategy = strategies.of(order.delivery().country(), "delivery.country");
        Instant paidAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        LocalDate invoiceDate = LocalDate.ofInstant(paidAt, strategy.zone());
        List<String> hsnCodes = order.lines().stream().map(StoredLine::hsn).distinct().toList();
        return catalogue.ratesOn(conn, order.delivery().country(), hsnCodes, invoiceDate).chain(rates -> {
            for (StoredLine line : order.lines()) {
                // a rate change between checkout and payment: the invoice must use the rate of its own date
                if (!Objects.equals(rates.get(line.hsn()), line.rate())) {
                    throw CommerceProblems.conflict("The tax rate of HSN " + line.hsn() + " changed since checkout; check out again.");
                }
            }
            String period = plan.periodOf(LocalDate.ofInstant(paidAt, ZoneOffset.UTC));
            return takeStock(conn, order, actor)
                    .chain(() -> Uni.combine().all().unis(
                            volumes.record(conn, period, order.distributorId(), order.pv(), order.bv(), "order",
                                    order.id().toString(), actor.name()),
                            orders.markPaid(conn, order.id(), reference, paidAt.atOffset(ZoneOffset.UTC), period),
                            stock.warehouse(conn, order.warehouseId()))
                            .with((volume, paid, warehouse) -> warehouse))
                    // the series counter is locked last, so it is held only for the invoice and outbox inserts and the commit
                    .chain(warehouse -> invoices.issue(conn, new Invoices.Draft(DocumentType.INV, warehouse.invoiceSeries(),
                            invoiceDate, paidAt, order.id(), null, null, seller(warehouse), buyer(order), delivery(order),
                            order.supplyType(), order.currency(), order.lines().stream().map(StoredLine::taxed).toList(),
                            order.distributorId(), order.warehouseId(), config.signatory() + ", " + config.sellerName())))
                    .call(invoice -> orders.publish(conn, "order.paid", paidEvent(order, invoice, reference, paidAt, period)))
                    .map(invoice -> view(order.paidWith(reference, paidAt, period, invoice.id(), invoice.number())));
        });
    }

    /** Takes each line's units from the order's warehouse, in product id order; one short line fails the whole payment. */
    private Uni<Void> takeStock(SqlClient conn, StoredOrder order, Caller actor) {
        List<StoredLine> byProduct = new ArrayList<>(order.lines());
        byProduct.sort(Comparator.comparingLong(StoredLine::productId));
        return Transactions.each(byProduct, line -> stock.sell(conn, order.warehouseId(), line.productId(), line.quantity(),
                "order " + order.id(), actor.name(), order.id())
                .invoke(balance -> {
                    if (balance == null) {
                        throw CommerceProblems.outOfStock("Warehouse " + order.warehouseCode() + " no longer has " + line.quantity()
                                + " units of " + line.sku() + ".");
                    }
                }))
                .replaceWithVoid();
    }

    private static JsonObject paidEvent(StoredOrder order, InvoiceDocument invoice, String reference, Instant paidAt, String period) {
        JsonArray lines = new JsonArray();
        for (StoredLine line : order.lines()) {
            lines.add(new JsonObject().put("sku", line.sku()).put("quantity", line.quantity()).put("taxable", line.taxable().toPlainString())
                    .put("pv", line.pv().toPlainString()).put("bv", line.bv().toPlainString()));
        }
        return new JsonObject().put("orderId", order.id().toString()).put("memberCode", order.memberCode())
                .put("distributorId", order.distributorId()).put("period", period).put("pv", order.pv().toPlainString())
                .put("bv", order.bv().toPlainString()).put("currency", order.currency())
                .put("taxable", order.taxableTotal().toPlainString()).put("total", order.grandTotal().toPlainString())
                .put("invoiceId", invoice.id().toString()).put("invoiceNumber", invoice.number()).put("paymentReference", reference)
                .put("paidAt", paidAt.toString()).put("lines", lines);
    }

    // ---- parties of the invoice ----------------------------------------------------------------------------------

    Party seller(Warehouse warehouse) {
        return new Party(config.sellerName(), warehouse.address(), warehouse.city(), warehouse.postalCode(), warehouse.taxId(),
                warehouse.region(), regionName(warehouse.country(), warehouse.region()), warehouse.country());
    }

    static Party buyer(StoredOrder order) {
        Address a = order.delivery();
        return new Party(order.buyerName(), address(a), a.city(), a.postalCode(), order.buyerGstin(),
                order.buyerGstin() == null ? a.region() : Gstin.stateCode(order.buyerGstin()),
                regionName(a.country(), order.buyerGstin() == null ? a.region() : Gstin.stateCode(order.buyerGstin())), a.country());
    }

    static Party delivery(StoredOrder order) {
        Address a = order.delivery();
        return new Party(a.name(), address(a), a.city(), a.postalCode(), null, a.region(), regionName(a.country(), a.region()), a.country());
    }

    private static String address(Address a) {
        return a.line2() == null || a.line2().isBlank() ? a.line1() : a.line1() + ", " + a.line2();
    }

    private static String regionName(String country, String region) {
        return "IN".equals(country) ? StateCodes.name(region) : region;
    }

    // ---- reading -------------------------------------------------------------------------------------------------

    /** Whether the number names a purchase: a tax invoice's number or a paid order's id (grievances of customers cite one). */
    @Override
    public Uni<Boolean> isPurchase(String number) {
        return orders.isPurchase(pool, number);
    }

    public Uni<OrderView> order(UUID id, Caller actor) {
        return visible(pool, id, actor).map(OrderService::view);
    }

    /** The order if the caller may see it: staff see all, a distributor their own; anything else is 404. */
    Uni<StoredOrder> visible(SqlClient conn, UUID id, Caller actor) {
        return orders.order(conn, id, false).chain(order -> {
            if (order == null) {
                throw OrderRepository.unknownOrder(id);
            }
            if (actor.staff()) {
                return Uni.createFrom().item(order);
            }
            return orders.buyerOfUser(conn, actor.userId()).map(buyer -> {
                if (buyer == null || buyer.distributorId() != order.distributorId()) {
                    throw OrderRepository.unknownOrder(id);
                }
                return order;
            });
        });
    }

    public Uni<Page<OrderView>> orders(Caller actor, PageRequest page) {
        List<String> after = page.after();
        Instant beforeCreated;
        UUID beforeId;
        try {
            beforeCreated = after == null ? Instant.parse("9999-12-31T00:00:00Z") : Instant.parse(after.get(0));
            beforeId = after == null ? new UUID(-1L, -1L) : UUID.fromString(after.get(1));
        } catch (RuntimeException e) {
            throw PageRequest.invalidCursor();
        }
        Uni<Long> distributor = actor.staff() ? Uni.createFrom().nullItem()
                : orders.buyerOfUser(pool, actor.userId()).map(buyer -> buyer == null ? -1L : buyer.distributorId());
        return distributor.chain(id -> orders.orders(pool, id, beforeCreated, beforeId, page.limit + 1))
                .map(rows -> page.page(rows, o -> List.of(o.createdAt().toString(), o.id().toString())))
                .map(p -> new Page<>(p.items().stream().map(OrderService::view).toList(), p.next()));
    }

    static OrderView view(StoredOrder o) {
        String c = o.currency();
        List<OrderLineView> lines = o.lines().stream().map(l -> new OrderLineView(l.lineNo(), l.sku(), l.name(), l.hsn(), l.unit(),
                l.quantity(), l.returned(), Money.of(l.unitPrice(), c), Money.of(l.taxable(), c), l.rate(), Money.of(l.tax().cgst(), c),
                Money.of(l.tax().sgst(), c), Money.of(l.tax().utgst(), c), Money.of(l.tax().igst(), c), Money.of(l.tax().vat(), c),
                Money.of(l.taxed().total(), c), l.pv(), l.bv())).toList();
        return new OrderView(o.id(), o.status(), o.memberCode(), o.buyerName(), o.buyerGstin(), o.forCustomer(), o.delivery(),
                o.warehouseCode(), o.supplyType(), lines, Money.of(o.taxableTotal(), c), Money.of(o.taxTotal(), c),
                Money.of(o.roundOff(), c), Money.of(o.grandTotal(), c), o.pv(), o.bv(), o.createdAt(), o.paidAt(), o.paymentReference(),
                o.volumePeriod(), o.invoiceId() == null ? null : new DocumentRef(o.invoiceId(), o.invoiceNumber()));
    }
}
