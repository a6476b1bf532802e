package io.github.awsdelegation.config.internal;

import io.github.awsdelegation.config.ConfigurationException;
import io.github.awsdelegation.config.SamlEndpointSettings;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Set;

/**
 * The {@code saml.delegation} section: the Auth0-compatible {@code POST /delegation} endpoint, on when the section
 * is given (unless {@code enabled: false}).
 *
 * @param path           where it is served; by default, {@value SamlEndpointSettings#DEFAULT_DELEGATION_PATH}
 * @param clientIds      the {@code client_id} values accepted; by default, {@code oidc.clientId}
 * @param allowedOrigins browser origins allowed to call it cross-origin; by default, none
 * @param rateLimit      requests per minute for one user and for one IP address, 0 for no limit; by default,
 *                       {@value SamlEndpointSettings.Delegation#DEFAULT_RATE_LIMIT}
 */
public record DelegationDocument(String path, Set<String> clientIds, List<String> allowedOrigins, Integer rateLimit) {

    public DelegationDocument {
        if (path != null && !path.startsWith("/")) {
            throw new ConfigurationException("path", "'" + path + "' must be a path starting with /");
        }
        for (String origin : allowedOrigins) {
            URI uri;
            try {
                uri = new URI(origin);
            } catch (URISyntaxException e) {
                uri = null;
            }
            if (uri == null || uri.getScheme() == null || uri.getHost() == null
                    || uri.getPath() != null && !uri.getPath().isEmpty() || origin.equals("*")) {
                throw new ConfigurationException("allowedOrigins", "'" + origin + "' is not an origin; write "
                        + "scheme://host[:port], e.g. https://shop.example.com (no wildcard: the answer holds credentials)");
            }
        }
        if (rateLimit != null && rateLimit < 0) {
            throw new ConfigurationException("rateLimit", rateLimit + " is negative; write the requests per minute allowed "
                    + "for one user and for one IP address (default 10), or 0 to turn the limit off");
        }
    }

    /** Returns the endpoint's settings, with the defaults for what is left out. */
    SamlEndpointSettings.Delegation settings() {
        return new SamlEndpointSettings.Delegation(path != null ? path : SamlEndpointSettings.DEFAULT_DELEGATION_PATH,
                clientIds, allowedOrigins, rateLimit != null ? rateLimit : SamlEndpointSettings.Delegation.DEFAULT_RATE_LIMIT);
    }
}
