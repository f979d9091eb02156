package io.downline.commerce.api;

import io.smallrye.mutiny.Uni;

/**
 * Whether a purchase number is a real order, for modules that let customers refer to one (grievances).
 */
public interface Purchases {

    /** Whether the number names a purchase: a tax invoice's number or a paid order's id (grievances of customers cite one). */
    Uni<Boolean> isPurchase(String number);
}
