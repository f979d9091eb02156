package io.downline.commission.engine;

/** The rules {@link PlanValidator} checks; a violation names one, so a client can branch on it and a human read it. */
public enum PlanRule {
    NO_JOINING_FEE("Consumer Protection (Direct Selling) Rules, 2021: no entry, registration or joining fee"),
    PRODUCT_VOLUME_ONLY("Consumer Protection (Direct Selling) Rules, 2021: remuneration only from the sale of goods "
            + "(BV/PV), nothing for recruitment alone"),
    REQUIRED("a required value is missing"),
    RATE_BOUNDS("a rate is a percentage above 0 and at most 100, with at most 4 decimals"),
    TOTAL_RATE_BOUNDS("the rates of one bonus add up to at most 100 %"),
    POSITIVE("the value must be positive"),
    RANK_ORDER("ranks are listed lowest first: unique codes and requirements that never decrease"),
    UNKNOWN_RANK("the rank code is not in the rank table"),
    RANK_CODE("a rank code is the rank's name in the network (a close sets it there): 1 to 60 characters, no spaces around it"),
    PAY_MODE("the binary pay mode needs its amount or rate, and only that");

    private final String description;

    PlanRule(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }
}
