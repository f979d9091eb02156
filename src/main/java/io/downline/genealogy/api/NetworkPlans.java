package io.downline.genealogy.api;

import io.downline.genealogy.api.Plan;
import io.smallrye.mutiny.Uni;
import java.time.Instant;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The network's placement plan in force (structure, period type), for modules whose rules depend on it.
 */
public interface NetworkPlans {

    @Schema(name = "PlanVersion", description = "A published version of the plan")
    record PlanVersion(@Schema(required = true, example = "3") int version,
            @Schema(required = true, example = "2026-11-21T09:30:00Z") Instant effectiveFrom,
            @Schema(required = true) Plan plan,
            @Schema(description = "Who published it", example = "admin") String createdBy,
            @Schema(example = "Weaker leg by group volume from next month") String reason) {
    }

    Uni<PlanVersion> current();
}
