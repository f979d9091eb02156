package io.downline.bench;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * The benchmark's own test profile: a profile of its own makes Quarkus restart the application, and the start cleans and
 * migrates the database (scripts/bench.sh points it at downline_bench), so the benchmark begins with an empty network.
 * No configuration is overridden: what is measured is the application as configured.
 */
public class BenchProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of();
    }
}
