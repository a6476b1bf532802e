package io.github.awsdelegation.testkit;

import io.github.awsdelegation.testkit.internal.Loopback;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;

/** An OAuth client registered at the local identity provider. The secret is null for a public client. */
record RegisteredClient(String clientId, String secret, List<URI> redirectUris) {

    boolean isPublic() {
        return secret == null;
    }

    /**
     * Whether {@code candidate} may receive the authorization response: an exact match with a registered URI,
     * or, when {@code anyLoopback}, any http URI on 127.0.0.1 or localhost (RFC 8252 §7.3: any port).
     */
    boolean allowsRedirect(URI candidate, boolean anyLoopback) {
        if (candidate == null || candidate.getFragment() != null || !candidate.isAbsolute()) {
            return false;
        }
        for (URI registered : redirectUris) {
            if (registered.toString().equals(candidate.toString())) {
                return true;
            }
        }
        return anyLoopback
                && "http".equalsIgnoreCase(candidate.getScheme())
                && candidate.getRawUserInfo() == null
                && ("127.0.0.1".equals(candidate.getHost()) || "localhost".equalsIgnoreCase(candidate.getHost()))
                && Loopback.isLoopbackHttp(candidate);
    }

    boolean secretMatches(String offered) {
        return secret != null && offered != null && MessageDigest.isEqual(
                secret.getBytes(StandardCharsets.UTF_8), offered.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return "RegisteredClient[clientId=" + clientId + ", public=" + isPublic() + ", redirectUris=" + redirectUris + "]";
    }
}
