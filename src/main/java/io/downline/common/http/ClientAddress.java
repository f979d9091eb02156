package io.downline.common.http;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

import io.vertx.core.http.HttpServerRequest;

/**
 * The caller's address as rate limits should count it. Behind a proxy Quarkus resolves it from X-Forwarded-For only
 * for trusted proxies (HTTP_TRUSTED_PROXIES). An IPv6 client controls a whole /64, so it counts as one.
 */
public final class ClientAddress {

    private ClientAddress() {
    }

    public static String of(HttpServerRequest request) {
        String host = request.remoteAddress() == null ? null : request.remoteAddress().hostAddress();
        if (host == null) {
            return "unknown";
        }
        try {
            InetAddress address = InetAddress.getByName(host);
            if (address instanceof Inet6Address) {
                byte[] bytes = address.getAddress();
                for (int i = 8; i < 16; i++) {
                    bytes[i] = 0;
                }
                return InetAddress.getByAddress(bytes).getHostAddress() + "/64";
            }
            return address.getHostAddress();
        } catch (UnknownHostException e) {
            return host;
        }
    }
}
