package io.downline.support;

import io.quarkus.test.common.QuarkusTestResource;

/** Registers {@link TestDatabase} for every Quarkus test in the suite. */
@QuarkusTestResource(value = TestDatabase.class, restrictToAnnotatedClass = false)
public class DatabaseTestResource {
}
