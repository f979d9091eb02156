package io.downline.tax.app;

import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.downline.tax.api.InvoiceDocument.Line;
import io.downline.tax.api.InvoiceDocument.Party;
import io.downline.tax.api.Gstin;
import io.downline.tax.api.InvoiceDocument;

/**
 * The e-invoice of a B2B document in schema INV-01 version 1.1 (sections TranDtls, DocDtls, SellerDtls, BuyerDtls,
 * ItemList, ValDtls), with the IRN computed as domain.md defines it. UTGST goes in the SGST fields, as the schema has
 * one field for "SGST/UTGST".
 */
public final class EInvoice {

    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("dd/MM/yyyy");

    private EInvoice() {
    }

    public static boolean applies(InvoiceDocument document) {
        return document.irn() != null;
    }

    public static Map<String, Object> of(InvoiceDocument d) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("Version", "1.1");
        json.put("Irn", d.irn());
        Map<String, Object> tran = new LinkedHashMap<>();
        tran.put("TaxSch", "GST");
        tran.put("SupTyp", "B2B");
        tran.put("RegRev", d.reverseCharge() ? "Y" : "N");
        tran.put("IgstOnIntra", "N");
        json.put("TranDtls", tran);
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("Typ", d.type().name());
        doc.put("No", d.number());
        doc.put("Dt", DATE.format(d.date()));
        json.put("DocDtls", doc);
        json.put("SellerDtls", party(d.seller(), null));
        json.put("BuyerDtls", party(d.buyer(), d.placeOfSupply().code()));
        List<Map<String, Object>> items = new ArrayList<>();
        for (Line line : d.lines()) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("SlNo", Integer.toString(line.slNo()));
            item.put("PrdDesc", line.description());
            item.put("IsServc", "N");
            item.put("HsnCd", line.hsn());
            item.put("Qty", line.quantity());
            item.put("Unit", line.unit());
            item.put("UnitPrice", line.unitPrice().amount());
            item.put("TotAmt", line.value().amount());
            item.put("Discount", line.discount().amount());
            item.put("AssAmt", line.taxable().amount());
            item.put("GstRt", line.rate());
            item.put("IgstAmt", line.igst().amount());
            item.put("CgstAmt", line.cgst().amount());
            item.put("SgstAmt", line.sgst().plus(line.utgst()).amount());
            item.put("TotItemVal", line.total().amount());
            items.add(item);
        }
        json.put("ItemList", items);
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("AssVal", d.totals().taxable().amount());
        values.put("CgstVal", d.totals().cgst().amount());
        values.put("SgstVal", d.totals().sgst().plus(d.totals().utgst()).amount());
        values.put("IgstVal", d.totals().igst().amount());
        values.put("RndOffAmt", d.totals().roundOff().amount());
        values.put("TotInvVal", d.totals().total().amount());
        json.put("ValDtls", values);
        return json;
    }

    private static Map<String, Object> party(Party party, String placeOfSupply) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("Gstin", party.taxId());
        json.put("LglNm", party.name());
        if (placeOfSupply != null) {
            json.put("Pos", placeOfSupply);
        }
        json.put("Addr1", party.address());
        json.put("Loc", party.city());
        json.put("Pin", party.postalCode().matches("[0-9]{6}") ? Integer.parseInt(party.postalCode()) : party.postalCode());
        json.put("Stcd", party.region());
        return json;
    }
}
