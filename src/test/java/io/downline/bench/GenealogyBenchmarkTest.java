package io.downline.bench;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestMethodOrder;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * The genealogy benchmark ({@link GenealogyBenchmark}) under a name Surefire runs (its default includes are *Test). Tagged
 * "benchmark": only {@code scripts/bench.sh} (the bench Maven profile) runs it, never the normal suite.
 */
@QuarkusTest
@Tag("benchmark")
@TestProfile(BenchProfile.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GenealogyBenchmarkTest extends GenealogyBenchmark {
}
