package io.downline.genealogy.api;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import io.downline.genealogy.store.TreeNode;

/** Request and response bodies of the genealogy endpoints. */
public final class GenealogyModels {

    private GenealogyModels() {
    }

    public enum Side {
        LEFT, RIGHT
    }

    @Schema(name = "MemberStatus", description = "SUSPENDED and TERMINATED members keep their place in the trees")
    public enum MemberStatus {
        ACTIVE, SUSPENDED, TERMINATED
    }

    @Schema(name = "PlacementChoice", description = "Where a binary recruit goes, chosen by the sponsor (or an admin)")
    public record PlacementChoice(
            @NotNull @Schema(example = "EXPLICIT") Plan.Placement mode,
            @Size(max = 20) @Schema(description = "For EXPLICIT: member code of the parent, inside the sponsor's placement downline",
                    example = "DL00000034") String parent,
            @Schema(description = "For EXPLICIT: the side under the parent", example = "LEFT") Side side) {
    }

    @Schema(name = "Registration", description = "A person joining the network. Joining is free: no fee of any kind is charged.")
    public record RegistrationRequest(
            @Size(max = 20) @Schema(description = "Member code or referral link code of the sponsor; a distributor registering a recruit may leave it out",
                    example = "DL00000017") String sponsor,
            @NotBlank @Size(max = 120) @Schema(example = "Kavya Menon") String fullName,
            @Email @Size(max = 254) @Schema(example = "kavya@example.com") String email,
            @Pattern(regexp = "\\+?[0-9]{10,15}", message = "must be 10 to 15 digits, optionally after +") @Schema(example = "+919876543210") String phone,
            @Pattern(regexp = "\\d{2}", message = "must be a two-digit GST state code") @Schema(example = "32") String stateCode,
            @Valid @Schema(description = "Optional placement preference of the sponsor (binary plans)") PlacementChoice placement) {

        public NewDistributor details() {
            return new NewDistributor(fullName.trim(), email, phone, stateCode);
        }
    }

    @Schema(name = "Placement", description = "Where a distributor sits in the placement tree")
    public record PlacementView(
            @Schema(description = "Member code of the parent; absent for the root", example = "DL00000034") String parent,
            @Schema(description = "Position under the parent: 0 = left and 1 = right in a binary plan", example = "0") Integer position,
            @Schema(description = "LEFT or RIGHT in a binary plan", example = "LEFT") Side side,
            @Schema(required = true, example = "12") int depth) {
    }

    @Schema(name = "RegistrationResult", description = "The new distributor and how they activate their account")
    public record RegistrationView(
            @Schema(required = true, example = "DL00000421") String memberCode,
            @Schema(required = true, description = "Code for the recruit's own referral link", example = "K7M2Q9XA") String referralCode,
            @Schema(description = "Member code of the sponsor; absent for the company's root", example = "DL00000017") String sponsor,
            @Schema(description = "The placement; absent while the recruit waits in the holding tank") PlacementView placement,
            @Schema(description = "When a recruit in the holding tank is placed automatically", example = "2026-11-28T09:30:00Z") Instant placementDue,
            @Schema(required = true, description = "Login name of the new account", example = "dl00000421") String username,
            @Schema(required = true, description = "Whether the one-time activation code was emailed to the recruit's own address (it is never in this "
                    + "response); without an address the recruit cannot activate until one is on file", example = "true") boolean activationCodeSent,
            @Schema(required = true, description = "Until when the activation code works (POST /api/v1/auth/activate)", example = "2026-12-05T09:30:00Z") Instant activationExpiresAt) {
    }

    /** A registration as the service made it; the activation code is for in-process callers (the demo seeder), never for a response. */
    public record Registered(RegistrationView view, String activationCode) {
    }

    @Schema(name = "MemberRef", description = "Another member as a distributor may see them: name and member code, nothing private")
    public record MemberRef(@Schema(required = true, example = "DL00000017") String memberCode,
            @Schema(required = true, example = "Asha Rao") String name) {
    }

    @Schema(name = "PostalAddress", description = "A distributor's postal address; stateCode is the GST state code")
    public record Address(
            @NotBlank @Size(max = 200) @Schema(example = "12/345 MG Road") String line1,
            @Size(max = 200) @Schema(example = "Near the bus stand") String line2,
            @NotBlank @Size(max = 100) @Schema(example = "Kochi") String city,
            @NotBlank @Pattern(regexp = "[A-Za-z0-9][A-Za-z0-9 -]{1,9}", message = "must be 2 to 10 letters, digits, spaces or hyphens")
            @Schema(example = "682016") String postalCode,
            @NotNull @Pattern(regexp = "\\d{2}", message = "must be a two-digit GST state code") @Schema(example = "32") String stateCode) {
    }

    @Schema(name = "MyMembership", description = "The caller's own distributor record: codes, profile, sponsor and placement parent")
    public record MyMembershipView(
            @Schema(required = true, example = "DL00000421") String memberCode,
            @Schema(required = true, description = "Code for the caller's own referral link", example = "K7M2Q9XA") String referralCode,
            @Schema(required = true, example = "Kavya Menon") String name,
            @Schema(required = true, description = "A rank name of the compensation plan; every member starts as MEMBER", example = "MEMBER") String rank,
            @Schema(required = true, example = "ACTIVE") MemberStatus status,
            @Schema(required = true, example = "2026-11-21T09:30:00Z") Instant joinedAt,
            @Schema(example = "kavya@example.com") String email,
            @Schema(example = "+919876543210") String phone,
            @Schema(description = "Absent until the distributor gives one") Address address,
            @Schema(description = "Who recruited the caller; absent for the company's root") MemberRef sponsor,
            @Schema(description = "The caller's parent in the placement tree; absent for the root and while in the holding tank") MemberRef placementParent,
            @Schema(description = "The side under the placement parent, in a binary plan", example = "LEFT") Side placementSide) {
    }

    @Schema(name = "ProfileUpdate", description = "The caller's own profile as it should be from now on (absent optional fields are cleared)")
    public record ProfileUpdate(
            @NotBlank @Size(max = 120) @Schema(example = "Kavya Menon") String fullName,
            @NotBlank @Email @Size(max = 254) @Schema(description = "Where activation, reset and other messages go; one account per address",
                    example = "kavya@example.com") String email,
            @Pattern(regexp = "\\+?[0-9]{10,15}", message = "must be 10 to 15 digits, optionally after +") @Schema(example = "+919876543210") String phone,
            @Valid @Schema(description = "Postal address; absent to remove it") Address address) {
    }

    @Schema(name = "VolumeEntry", description = "Personal volume to add to a distributor's period total (negative to correct)")
    public record VolumeEntryRequest(
            @NotBlank @Size(max = 20) @Schema(example = "DL00000421") String memberCode,
            @NotBlank @Schema(description = "\"2026-11\" for monthly plans, \"2026-W47\" for weekly ones", example = "2026-11") String period,
            @NotNull @Digits(integer = 10, fraction = 2) @DecimalMin("-9999999999.99") @DecimalMax("9999999999.99")
            @Schema(example = "120.00") BigDecimal pv,
            @NotNull @Digits(integer = 10, fraction = 2) @DecimalMin("-9999999999.99") @DecimalMax("9999999999.99")
            @Schema(example = "95.50") BigDecimal bv,
            @NotBlank @Size(max = 200) @Schema(example = "Migrated from the old system") String reason) {
    }

    @Schema(name = "PersonalVolume", description = "A distributor's personal volume in a period")
    public record VolumeView(@Schema(required = true, example = "DL00000421") String memberCode, @Schema(required = true, example = "2026-11") String period,
            @Schema(required = true, example = "120.00") BigDecimal pv, @Schema(required = true, example = "95.50") BigDecimal bv) {
    }

    @Schema(name = "TreeNode", description = "One member in a tree view")
    public record NodeView(
            @Schema(required = true, example = "DL00000421") String memberCode,
            @Schema(required = true, example = "Kavya Menon") String name,
            @Schema(required = true, description = "A rank name of the compensation plan; every member starts as MEMBER", example = "MEMBER") String rank,
            @Schema(required = true, example = "ACTIVE") MemberStatus status,
            @Schema(required = true, description = "Levels below the viewed node (0 = the node itself)", example = "1") int level,
            @Schema(description = "Member code of the parent in this tree", example = "DL00000017") String parent,
            @Schema(example = "0") Integer position,
            @Schema(required = true, description = "Personal volume in the period", example = "120.00") BigDecimal pv,
            @Schema(required = true, description = "Direct children in this tree", example = "2") int children,
            @Schema(required = true, description = "Members below this node in this tree", example = "37") long teamSize) {
    }

    @Schema(name = "LevelSummary", description = "Members and volume on one level below the node")
    public record LevelView(@Schema(required = true, example = "1") int level, @Schema(required = true, example = "2") long members,
            @Schema(required = true, example = "240.00") BigDecimal pv, @Schema(required = true, example = "190.00") BigDecimal bv) {
    }

    @Schema(name = "LegSummary", description = "A binary leg: the subtree under the left or right child")
    public record LegView(@Schema(required = true, example = "LEFT") Side side, @Schema(example = "DL00000422") String root,
            @Schema(required = true, example = "18") long members, @Schema(required = true, example = "2160.00") BigDecimal pv, @Schema(required = true, example = "1710.00") BigDecimal bv) {
    }

    @Schema(name = "DownlineSummary", description = "Team size, per-level counts and volumes, and binary legs of a node in a period")
    public record SummaryView(
            @Schema(required = true, example = "DL00000017") String memberCode,
            @Schema(required = true, example = "PLACEMENT") Tree tree,
            @Schema(required = true, example = "2026-11") String period,
            @Schema(required = true, description = "Members below the node", example = "37") long teamSize,
            @Schema(required = true, description = "Group volume: personal volume of everyone below the node, the node's own excluded", example = "4440.00") BigDecimal groupPv,
            @Schema(required = true, example = "3520.00") BigDecimal groupBv,
            @Schema(required = true, description = "The first levels below the node") List<LevelView> levels,
            @Schema(description = "Members and volume deeper than the listed levels") LevelView deeper,
            @Schema(description = "Left and right legs, in a binary placement tree") List<LegView> legs) {
    }

    @Schema(name = "UplineMember", description = "A member on the path towards the root")
    public record UplineView(@Schema(required = true, example = "DL00000017") String memberCode, @Schema(required = true, example = "Asha Rao") String name,
            @Schema(required = true, example = "3") int depth) {
    }

    @Schema(name = "Member", description = "A distributor as their upline sees them")
    public record MemberView(
            @Schema(required = true, example = "DL00000421") String memberCode,
            @Schema(required = true, example = "Kavya Menon") String name,
            @Schema(required = true, description = "A rank name of the compensation plan; every member starts as MEMBER", example = "MEMBER") String rank,
            @Schema(required = true, example = "ACTIVE") MemberStatus status,
            @Schema(example = "DL00000017") String sponsor,
            @Schema(required = true, example = "2026-11-21T09:30:00Z") Instant joinedAt) {
    }
}
