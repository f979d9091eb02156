package io.downline.common.http;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks an operation whose response carries a secret (tokens, an activation code); {@link NoStoreResponses} answers it
 * with {@code Cache-Control: no-store} so that no browser, proxy or client cache keeps a copy.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface NoStore {
}
