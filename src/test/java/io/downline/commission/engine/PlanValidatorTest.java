package io.downline.commission.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import io.downline.commission.engine.CompPlan.PayoutBasis;

class PlanValidatorTest {

    static CompPlan samplePlan() {
        try (InputStream in = PlanValidatorTest.class.getResourceAsStream("/commission/sample-plan.yaml")) {
            return new ObjectMapper(new YAMLFactory()).readValue(in, CompPlan.class);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void theSamplePlanReadsFromYamlAndSurvivesAJsonRoundTrip() throws IOException {
        CompPlan plan = samplePlan();
        assertEquals(List.of(), PlanValidator.validate(plan));
        assertEquals(3, plan.levels().depth());
        assertEquals(1, plan.rankIndex("SILVER"));
        assertEquals(CompPlan.Compression.DYNAMIC, plan.levels().compression());
        ObjectMapper json = new ObjectMapper();
        assertEquals(plan, json.readValue(json.writeValueAsString(plan), CompPlan.class));
    }

    @Test
    void aJoiningFeeIsRefusedNamingTheDirectSellingRules() {
        CompPlan plan = samplePlan();
        CompPlan withFee = new CompPlan(plan.version(), plan.currency(), plan.periodKind(), 49_900L,
                plan.qualification(), plan.sponsorBonus(), plan.levels(), plan.binary(), plan.matching(), plan.ranks(),
                plan.pool(), plan.payoutCap());
        assertEquals(List.of(PlanRule.NO_JOINING_FEE), rules(withFee));
        assertTrue(PlanRule.NO_JOINING_FEE.description().contains("Direct Selling"));
    }

    @Test
    void aPayoutForRecruitmentIsRefused() {
        CompPlan plan = samplePlan();
        CompPlan recruiting = new CompPlan(plan.version(), plan.currency(), plan.periodKind(), null,
                plan.qualification(), new CompPlan.SponsorBonus(BigDecimal.TEN, PayoutBasis.RECRUITMENT),
                plan.levels(), plan.binary(), plan.matching(), plan.ranks(), plan.pool(), plan.payoutCap());
        List<PlanViolation> violations = PlanValidator.validate(recruiting);
        assertEquals(1, violations.size());
        assertEquals(PlanRule.PRODUCT_VOLUME_ONLY, violations.get(0).rule());
        assertEquals("sponsorBonus.basis", violations.get(0).field());
    }

    @Test
    void ratesOutOfBoundsAndTotalsOverAHundredAreRefused() {
        CompPlan plan = samplePlan();
        CompPlan.LevelCommission levels = new CompPlan.LevelCommission(
                List.of(new BigDecimal("60"), new BigDecimal("50"), new BigDecimal("0"), new BigDecimal("1.00001")),
                PayoutBasis.BV, CompPlan.Compression.NONE);
        CompPlan bad = new CompPlan(plan.version(), plan.currency(), plan.periodKind(), null, plan.qualification(),
                plan.sponsorBonus(), levels, plan.binary(), plan.matching(), plan.ranks(), plan.pool(),
                new CompPlan.PayoutCap(new BigDecimal("120")));
        List<PlanViolation> violations = PlanValidator.validate(bad);
        assertEquals(List.of("levels.ratePercents[2]", "levels.ratePercents[3]", "levels.ratePercents",
                "payoutCap.percentOfBv"), violations.stream().map(PlanViolation::field).toList());
        assertEquals(List.of(PlanRule.RATE_BOUNDS, PlanRule.RATE_BOUNDS, PlanRule.TOTAL_RATE_BOUNDS,
                PlanRule.RATE_BOUNDS), violations.stream().map(PlanViolation::rule).toList());
    }

    @Test
    void ranksMustBeOrderedAndReferToLowerRanks() {
        CompPlan plan = samplePlan();
        List<CompPlan.Rank> ranks = List.of(
                new CompPlan.Rank("GOLD", "Gold", 200, 20_000, 2, 0, "SILVER", 3),
                new CompPlan.Rank("SILVER", "Silver", 100, 5_000, 2, 0, null, 1),
                new CompPlan.Rank("SILVER", "Silver again", 100, 5_000, 2, 0, null, 1));
        CompPlan bad = new CompPlan(plan.version(), plan.currency(), plan.periodKind(), null, plan.qualification(),
                plan.sponsorBonus(), plan.levels(), plan.binary(), plan.matching(), ranks, plan.pool(),
                plan.payoutCap());
        assertEquals(List.of(PlanRule.UNKNOWN_RANK, PlanRule.RANK_ORDER, PlanRule.RANK_ORDER), rules(bad));

        // a close pushes the codes to the network as rank names, which must be trimmed and at most 60 characters
        List<CompPlan.Rank> badCodes = List.of(new CompPlan.Rank(" SILVER", "Silver", 100, 5_000, 2, 0, null, 1),
                new CompPlan.Rank("G".repeat(61), "Gold", 200, 20_000, 2, 0, null, 3));
        CompPlan badNames = new CompPlan(plan.version(), plan.currency(), plan.periodKind(), null, plan.qualification(),
                plan.sponsorBonus(), plan.levels(), plan.binary(), null, badCodes, plan.pool(), plan.payoutCap());
        assertEquals(List.of(PlanRule.RANK_CODE, PlanRule.RANK_CODE), rules(badNames));
    }

    @Test
    void binaryPayModesNeedTheirOwnSettingAndMatchingNeedsKnownRanks() {
        CompPlan plan = samplePlan();
        CompPlan.Binary binary = new CompPlan.Binary(PayoutBasis.PV, 100, 0, CompPlan.FirstPair.STANDARD,
                CompPlan.BinaryPay.WEAK_LEG_PERCENT, 1000L, null, 5, null, false, true, null);
        CompPlan.Matching matching = new CompPlan.Matching(
                List.of(new CompPlan.MatchingGeneration(BigDecimal.TEN, "PLATINUM")));
        CompPlan bad = new CompPlan(plan.version(), "XYZ", plan.periodKind(), null, plan.qualification(),
                plan.sponsorBonus(), plan.levels(), binary, matching, plan.ranks(), plan.pool(), plan.payoutCap());
        assertEquals(List.of("currency", "binary.rightUnit", "binary.weakLegPercent", "binary.perPairMinor",
                "binary.capExcess", "matching.generations[0].minRank"),
                PlanValidator.validate(bad).stream().map(PlanViolation::field).toList());
    }

    private static List<PlanRule> rules(CompPlan plan) {
        return PlanValidator.validate(plan).stream().map(PlanViolation::rule).toList();
    }
}
