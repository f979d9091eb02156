package io.downline.common.http;

import java.util.Base64;

import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.jboss.resteasy.reactive.server.ServerResponseFilter;

import io.downline.common.Hashing;

/**
 * Weak ETags on successful JSON reads, and 304 for a matching If-None-Match. The body is serialized once here and
 * handed on as bytes, so hashing it costs no second serialization.
 */
public class ConditionalGet {

    private final ObjectMapper mapper;

    public ConditionalGet(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    @ServerResponseFilter
    public void tag(ContainerRequestContext request, ContainerResponseContext response) throws JsonProcessingException {
        if (!HttpMethod.GET.equals(request.getMethod()) || response.getStatus() != 200 || !response.hasEntity()
                || !MediaType.APPLICATION_JSON_TYPE.isCompatible(response.getMediaType())) {
            return;
        }
        Object entity = response.getEntity();
        byte[] body = entity instanceof byte[] bytes ? bytes : mapper.writeValueAsBytes(entity);
        String etag = "W/\"" + digest(body) + "\"";
        response.getHeaders().putSingle(HttpHeaders.ETAG, etag);
        response.getHeaders().putSingle(HttpHeaders.CACHE_CONTROL, "private, no-cache");
        if (matches(request.getHeaderString(HttpHeaders.IF_NONE_MATCH), etag)) {
            response.setStatus(304);
            response.setEntity(null);
        } else {
            response.setEntity(body, null, MediaType.APPLICATION_JSON_TYPE);
        }
    }

    private static boolean matches(String ifNoneMatch, String etag) {
        if (ifNoneMatch == null) {
            return false;
        }
        String opaque = etag.substring(2);
        for (String candidate : ifNoneMatch.split(",")) {
            String tag = candidate.trim();
            if (tag.equals("*") || tag.equals(etag) || tag.equals(opaque)) {
                return true;
            }
        }
        return false;
    }

    private static String digest(byte[] body) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(Hashing.sha256(body)).substring(0, 27);
    }
}
