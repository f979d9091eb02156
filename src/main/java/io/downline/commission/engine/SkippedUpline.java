package io.downline.commission.engine;

/**
 * An upline member who would have earned from a sale but did not, and why.
 *
 * @param level      the level the member stood at when skipped
 * @param rolledUp   true when compression passed the level on to the next qualified upline; false when it was forfeited
 */
public record SkippedUpline(long memberId, Rule rule, int level, boolean rolledUp) {
}
