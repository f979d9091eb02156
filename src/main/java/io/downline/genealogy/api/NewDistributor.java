package io.downline.genealogy.api;

/** What a registration records about the person, beyond the tree edges. */
public record NewDistributor(String fullName, String email, String phone, String stateCode) {
}
