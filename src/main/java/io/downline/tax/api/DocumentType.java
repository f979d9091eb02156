package io.downline.tax.api;

/** GST document types as the e-invoice schema and the IRN name them. */
public enum DocumentType {
    /** Tax invoice */
    INV,
    /** Credit note */
    CRN
}
