package io.downline.common.http;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.HttpHeaders;

import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/** Applies {@link NoStore}, to errors of such operations too. */
public class NoStoreResponses {

    @ServerResponseFilter
    public void noStore(ContainerRequestContext request, ContainerResponseContext response, ResourceInfo resource) {
        if (resource.getResourceMethod() != null && resource.getResourceMethod().isAnnotationPresent(NoStore.class)) {
            response.getHeaders().putSingle(HttpHeaders.CACHE_CONTROL, "no-store");
        }
    }
}
