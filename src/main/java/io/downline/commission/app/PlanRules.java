package io.downline.commission.app;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import io.downline.common.problem.Problem;
import io.downline.genealogy.NetworkReads.MemberStanding;

/**
 * Reads and checks the parts of a plan document the real-time engine pays by: sponsor bonus, level rates with
 * compression, and qualification. Other sections (binary, matching, ranks, pool, payout cap) are the period close's.
 * Violations name the rule they break, the Direct Selling Rules first.
 */
final class PlanRules {

    static final String DSR_VOLUME = "Consumer Protection (Direct Selling) Rules 2021: remuneration may derive only from the sale of goods "
            + "(BV or PV of product sales)";
    static final String DSR_FEE = "Consumer Protection (Direct Selling) Rules 2021: no entry, joining or registration fee may be charged";
    static final int MAX_LEVELS = 20;

    /** The instant part of a plan, parsed. */
    record InstantPlan(BigDecimal sponsorBonusRate, List<BigDecimal> levelRates, boolean compression, BigDecimal minPersonalPv,
            boolean activeOnly) {

        boolean qualified(MemberStanding member) {
            return (!activeOnly || member.active()) && member.personalPv().compareTo(minPersonalPv) >= 0;
        }

        String whyUnqualified(MemberStanding member) {
            if (activeOnly && !member.active()) {
                return "status " + member.status();
            }
            return "personal PV " + member.personalPv().toPlainString() + " below " + minPersonalPv.toPlainString();
        }
    }

    private PlanRules() {
    }

    /** Every violation of the document, each with the path of the field and the rule it breaks; empty when valid. */
    static List<Problem.FieldError> violations(JsonNode plan) {
        List<Problem.FieldError> errors = new ArrayList<>();
        for (String fee : List.of("joiningFee", "registrationFee", "entryFee", "starterKitFee")) {
            if (plan.has(fee) && (!plan.get(fee).isNumber() || plan.get(fee).decimalValue().signum() != 0)) {
                errors.add(new Problem.FieldError(fee, DSR_FEE));
            }
        }
        checkBasis(plan, "", errors);
        JsonNode sponsor = plan.path("sponsorBonus");
        if (!sponsor.isMissingNode()) {
            rate(sponsor.path("rate"), "sponsorBonus.rate", errors);
        }
        JsonNode levels = plan.path("levelCommission");
        BigDecimal total = BigDecimal.ZERO;
        if (!levels.isMissingNode()) {
            JsonNode rates = levels.path("rates");
            if (!rates.isArray() || rates.isEmpty() || rates.size() > MAX_LEVELS) {
                errors.add(new Problem.FieldError("levelCommission.rates", "must list 1 to " + MAX_LEVELS + " level rates"));
            } else {
                for (int i = 0; i < rates.size(); i++) {
                    BigDecimal rate = rate(rates.get(i), "levelCommission.rates[" + i + "]", errors);
                    total = total.add(rate == null ? BigDecimal.ZERO : rate);
                }
            }
            if (levels.has("compression") && !levels.get("compression").isBoolean()) {
                errors.add(new Problem.FieldError("levelCommission.compression", "must be true or false"));
            }
        }
        BigDecimal sponsorRate = sponsor.path("rate").isNumber() ? sponsor.path("rate").decimalValue() : BigDecimal.ZERO;
        if (total.add(sponsorRate).compareTo(BigDecimal.ONE) > 0) {
            errors.add(new Problem.FieldError("levelCommission.rates", "sponsor bonus and level rates together exceed 100% of the BV they pay on"));
        }
        JsonNode qualification = plan.path("qualification");
        if (qualification.has("minPersonalPv") && (!qualification.get("minPersonalPv").isNumber()
                || qualification.get("minPersonalPv").decimalValue().signum() < 0)) {
            errors.add(new Problem.FieldError("qualification.minPersonalPv", "must be a number of PV, zero or more"));
        }
        return errors;
    }

    /** Every "basis" anywhere in the document must be product volume. */
    private static void checkBasis(JsonNode node, String path, List<Problem.FieldError> errors) {
        if (node.isObject()) {
            node.fields().forEachRemaining(field -> {
                String at = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
                if (field.getKey().equals("basis") && !(field.getValue().isTextual() && List.of("BV", "PV").contains(field.getValue().asText()))) {
                    errors.add(new Problem.FieldError(at, DSR_VOLUME));
                } else {
                    checkBasis(field.getValue(), at, errors);
                }
            });
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                checkBasis(node.get(i), path + "[" + i + "]", errors);
            }
        }
    }

    private static BigDecimal rate(JsonNode node, String field, List<Problem.FieldError> errors) {
        if (!node.isNumber() || node.decimalValue().signum() < 0 || node.decimalValue().compareTo(BigDecimal.ONE) > 0) {
            errors.add(new Problem.FieldError(field, "must be a rate between 0 and 1 (0.05 is 5%)"));
            return null;
        }
        return node.decimalValue();
    }

    /** The instant part of a valid document. */
    static InstantPlan instant(JsonNode plan) {
        JsonNode levels = plan.path("levelCommission");
        List<BigDecimal> rates = new ArrayList<>();
        levels.path("rates").forEach(rate -> rates.add(rate.decimalValue()));
        JsonNode qualification = plan.path("qualification");
        return new InstantPlan(plan.path("sponsorBonus").path("rate").decimalValue(), List.copyOf(rates), levels.path("compression").asBoolean(true),
                qualification.has("minPersonalPv") ? qualification.get("minPersonalPv").decimalValue() : BigDecimal.ZERO,
                qualification.path("activeOnly").asBoolean(true));
    }
}
