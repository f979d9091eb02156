package io.downline.genealogy.api;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.IsoFields;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The company's compensation plan as far as the genealogy is concerned. Published in versions; the newest applies. */
@Schema(name = "Plan", description = "Placement structure and rules of the company's plan")
public record Plan(
        @NotNull @Schema(example = "BINARY") Structure structure,
        @Min(2) @Max(20) @Schema(description = "Width W of a forced matrix", example = "3") Integer matrixWidth,
        @Min(1) @Max(50) @Schema(description = "Depth D of a forced matrix", example = "9") Integer matrixDepth,
        @NotNull @Schema(description = "Binary placement used when the sponsor does not choose", example = "EXTREME_LEFT") Placement defaultPlacement,
        @NotNull @Schema(example = "MEMBER_COUNT") LegMeasure weakerLegMeasure,
        @Schema(description = "Whether a sponsor may choose the placement of each recruit", example = "true") boolean sponsorMayChoosePlacement,
        @Min(0) @Max(90) @Schema(description = "Days a recruit may wait unplaced for a manual placement; 0 places at once", example = "0") int holdingTankDays,
        @NotNull @Schema(example = "MONTHLY") PeriodType periodType,
        @NotNull @Pattern(regexp = "[A-Z]{2,4}", message = "must be 2 to 4 capital letters") @Schema(example = "DL") String memberCodePrefix) {

    public enum Structure {
        UNILEVEL, BINARY, MATRIX
    }

    /** How a binary recruit is placed; matrix and unilevel plans place by their own rule. */
    @Schema(name = "PlacementMode")
    public enum Placement {
        EXPLICIT, EXTREME_LEFT, EXTREME_RIGHT, WEAKER_LEG, BALANCED
    }

    public enum LegMeasure {
        GROUP_VOLUME, MEMBER_COUNT
    }

    public enum PeriodType {
        MONTHLY, WEEKLY
    }

    /** Fixed number of positions under a node, or null for unlimited (unilevel). */
    public Integer width() {
        return switch (structure) {
            case UNILEVEL -> null;
            case BINARY -> 2;
            case MATRIX -> matrixWidth;
        };
    }

    /** The volume period a date falls in: "2026-11" for monthly plans, "2026-W47" for weekly ones. */
    public String periodOf(LocalDate date) {
        return periodType == PeriodType.MONTHLY
                ? String.format("%d-%02d", date.getYear(), date.getMonthValue())
                : String.format("%d-W%02d", date.get(IsoFields.WEEK_BASED_YEAR), date.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR));
    }

    public String currentPeriod() {
        return periodOf(LocalDate.now(ZoneOffset.UTC));
    }

    public boolean validPeriod(String period) {
        return period != null && (periodType == PeriodType.MONTHLY ? period.matches("\\d{4}-(0[1-9]|1[0-2])")
                : period.matches("\\d{4}-W(0[1-9]|[1-4]\\d|5[0-3])"));
    }
}
