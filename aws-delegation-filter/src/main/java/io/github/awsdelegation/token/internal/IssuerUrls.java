package io.github.awsdelegation.token.internal;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * The rule for the issuer's URLs (issuer, discovery, {@code jwks_uri}): HTTPS, as OIDC Core §2 and
 * OpenID Connect Discovery §3 require, except plain HTTP to a loopback address, which never leaves the
 * machine and is what local test providers use.
 */
public final class IssuerUrls {

    private IssuerUrls() {
    }

    /** Returns whether the URI is absolute and either {@code https} or {@code http} to a loopback host. */
    public static boolean isSecureOrLoopback(URI uri) {
        if (!uri.isAbsolute() || uri.getHost() == null) {
            return false;
        }
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        return "https".equals(scheme) || ("http".equals(scheme) && isLoopback(uri.getHost()));
    }

    private static boolean isLoopback(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if ("localhost".equals(h)) {
            return true;
        }
        // Literal addresses only: a name must not be resolved here (and could resolve differently later).
        if (!h.matches("[0-9.]+|\\[[0-9a-f:.]+]")) {
            return false;
        }
        try {
            return InetAddress.getByName(h.startsWith("[") ? h.substring(1, h.length() - 1) : h).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** Returns the discovery document's URL: the issuer without trailing slash plus the well-known path. */
    public static URI discoveryUri(URI issuer) {
        String base = issuer.toString();
        while (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        return URI.create(base + "/.well-known/openid-configuration");
    }
}
