package io.downline.commission.engine;

/** The plan rule a commission line was paid under. */
public enum Rule {
    SPONSOR_BONUS, LEVEL_COMMISSION, BINARY_PAIRING, MATCHING_BONUS, LEADERSHIP_POOL
}
