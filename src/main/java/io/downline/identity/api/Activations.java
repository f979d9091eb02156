package io.downline.identity.api;

import io.downline.identity.api.AuthModels.TokenResponse;
import io.downline.identity.api.AuthModels;
import io.smallrye.mutiny.Uni;

/**
 * Activates an account with its code and first password, signing it in.
 */
public interface Activations {

    /** Sets the first password of an account opened by registration; the code works once, within its validity. */
    Uni<TokenResponse> activate(AuthModels.ActivationRequest request, String clientAddress, String userAgent);
}
