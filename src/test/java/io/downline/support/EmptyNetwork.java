package io.downline.support;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * Starts the application on a freshly cleaned database, so a test can choose the plan's structure, which is fixed once
 * the network has members. Each subclass is its own profile, hence its own clean start.
 */
public abstract class EmptyNetwork implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of();
    }

    public static class ForUnilevel extends EmptyNetwork {
    }

    public static class ForMatrix extends EmptyNetwork {
    }

    public static class ForHoldingTank extends EmptyNetwork {
    }

    public static class ForImport extends EmptyNetwork {
    }
}
