package io.downline.tax.api;

/** Which taxes a supply bears. */
public enum SupplyType {
    /** India, supplier state = place of supply: CGST + SGST, half the rate each */
    INTRA_STATE,
    /** India, within one Union Territory without legislature: CGST + UTGST */
    INTRA_UNION_TERRITORY,
    /** India, supplier state differs from the place of supply: IGST */
    INTER_STATE,
    /** A single value-added tax (Kazakhstan) */
    VAT
}
