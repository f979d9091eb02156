package io.downline.bench;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * The ledger benchmark's own test profile: a profile class of its own makes Quarkus restart the application for it, and
 * the start cleans and migrates the database, so the ledger benchmark begins on an empty ledger even when it runs after
 * the genealogy benchmark in one Maven run. No configuration is overridden: what is measured is the application as
 * configured (reactive pool of 20 connections, durable commits).
 */
public class LedgerBenchProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of();
    }
}
