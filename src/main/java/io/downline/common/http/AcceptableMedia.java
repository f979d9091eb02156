package io.downline.common.http;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.List;

import jakarta.ws.rs.NotAcceptableException;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.MediaType;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Refuses with 406, before the operation runs, a request whose Accept header admits none of the media types the
 * operation produces (JSON unless it declares otherwise). Without this check a POST with {@code Accept: application/xml}
 * would do its work and then answer with a Java string.
 */
public class AcceptableMedia {

    private static final List<MediaType> JSON = List.of(MediaType.APPLICATION_JSON_TYPE);

    @ServerRequestFilter
    public void requireAcceptable(ContainerRequestContext request, ResourceInfo resource) {
        List<MediaType> accepted = request.getAcceptableMediaTypes();
        List<MediaType> produced = produced(resource.getResourceMethod(), resource.getResourceClass());
        boolean acceptable = accepted.stream().anyMatch(range -> produced.stream().anyMatch(range::isCompatible));
        if (!acceptable) {
            throw new NotAcceptableException();
        }
    }

    private static List<MediaType> produced(Method method, Class<?> resourceClass) {
        Produces produces = method == null ? null : method.getAnnotation(Produces.class);
        if (produces == null && resourceClass != null) {
            produces = resourceClass.getAnnotation(Produces.class);
        }
        if (produces == null) {
            return JSON;
        }
        return Arrays.stream(produces.value()).flatMap(value -> Arrays.stream(value.split(",")))
                .map(value -> MediaType.valueOf(value.trim())).toList();
    }
}
