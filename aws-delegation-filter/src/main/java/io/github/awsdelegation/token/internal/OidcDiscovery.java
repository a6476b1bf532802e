package io.github.awsdelegation.token.internal;

import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jose.util.Resource;
import com.nimbusds.jose.util.ResourceRetriever;
import io.github.awsdelegation.token.IssuerMisconfiguredException;
import io.github.awsdelegation.token.IssuerUnavailableException;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.text.ParseException;
import java.util.List;
import java.util.Map;

/**
 * What OpenID Connect Discovery 1.0 tells about an issuer that we use: where its keys are and which algorithms it
 * signs ID tokens with (for validation), and the endpoints of the built-in login. The one source of provider
 * metadata: the validator fetches it, and the login asks the validator for it.
 *
 * @param jwksUrl               the {@code jwks_uri}
 * @param signingAlgorithms     {@code id_token_signing_alg_values_supported}, empty when not stated
 * @param authorizationEndpoint {@code authorization_endpoint} (OIDC Discovery §3), or {@code null}
 * @param tokenEndpoint         {@code token_endpoint}, or {@code null}
 * @param endSessionEndpoint    {@code end_session_endpoint} (OIDC RP-Initiated Logout 1.0 §2.1), or {@code null}
 * @param revocationEndpoint    {@code revocation_endpoint} (RFC 8414 §2), or {@code null}
 */
public record OidcDiscovery(URL jwksUrl, List<String> signingAlgorithms, URI authorizationEndpoint, URI tokenEndpoint,
                            URI endSessionEndpoint, URI revocationEndpoint) {

    /** Discovery of the keys alone, e.g. in tests: no login endpoints. */
    public OidcDiscovery(URL jwksUrl, List<String> signingAlgorithms) {
        this(jwksUrl, signingAlgorithms, null, null, null, null);
    }

    /**
     * Fetches and checks the discovery document of {@code issuer}
     * ({@code <issuer without trailing slash>/.well-known/openid-configuration}, Discovery §4).
     *
     * @throws IssuerMisconfiguredException when the document names another issuer (Discovery §4.3 requires
     *                                      them to be identical) or has no usable {@code jwks_uri}
     * @throws IssuerUnavailableException   when the document cannot be fetched or is not JSON
     */
    public static OidcDiscovery fetch(URI issuer, ResourceRetriever retriever) {
        URI location = IssuerUrls.discoveryUri(issuer);
        Map<String, Object> document;
        try {
            Resource resource = retriever.retrieveResource(location.toURL());
            document = JSONObjectUtils.parse(resource.getContent());
        } catch (IOException e) {
            throw new IssuerUnavailableException("OIDC discovery of issuer " + issuer + " failed: GET " + location
                    + ": " + e.getMessage(), e);
        } catch (ParseException e) {
            throw new IssuerUnavailableException("OIDC discovery of issuer " + issuer + " failed: " + location
                    + " did not answer a JSON object", e);
        }
        if (document == null) {
            throw new IssuerUnavailableException("OIDC discovery of issuer " + issuer + " failed: " + location
                    + " did not answer a JSON object");
        }
        checkIssuer(issuer, location, document.get("issuer"));
        URL jwksUrl = jwksUrl(issuer, location, document.get("jwks_uri"));
        List<String> algorithms = document.get("id_token_signing_alg_values_supported") instanceof List<?> list
                ? list.stream().filter(String.class::isInstance).map(String.class::cast).toList()
                : List.of();
        return new OidcDiscovery(jwksUrl, algorithms, endpoint(document, "authorization_endpoint"),
                endpoint(document, "token_endpoint"), endpoint(document, "end_session_endpoint"),
                endpoint(document, "revocation_endpoint"));
    }

    // An endpoint the login may use: an https URL (or loopback, for tests); anything else counts as not stated.
    private static URI endpoint(Map<String, Object> document, String name) {
        if (!(document.get(name) instanceof String s) || s.isBlank()) {
            return null;
        }
        try {
            URI uri = new URI(s);
            return uri.isAbsolute() && IssuerUrls.isSecureOrLoopback(uri) ? uri : null;
        } catch (URISyntaxException | IllegalArgumentException e) {
            return null;
        }
    }

    private static void checkIssuer(URI issuer, URI location, Object stated) {
        String configured = issuer.toString();
        if (configured.equals(stated)) {
            return;
        }
        String hint = stated instanceof String s && strip(s).equals(strip(configured))
                ? " (they differ in the trailing slash, which counts: Auth0's issuer ends with '/')"
                : "";
        throw new IssuerMisconfiguredException("OIDC discovery document " + location + " names the issuer "
                + SafeText.quote(stated) + ", but the configured issuer is " + SafeText.quote(configured) + hint
                + "; configure the issuer exactly as the provider states it, since ID tokens carry it the same way");
    }

    private static URL jwksUrl(URI issuer, URI location, Object stated) {
        if (!(stated instanceof String s) || s.isBlank()) {
            throw new IssuerMisconfiguredException("OIDC discovery document " + location + " of issuer " + issuer
                    + " has no jwks_uri, so ID token signatures cannot be verified");
        }
        try {
            URI uri = new URI(s);
            if (!IssuerUrls.isSecureOrLoopback(uri)) {
                throw new IssuerMisconfiguredException("OIDC discovery document " + location + " gives the jwks_uri "
                        + SafeText.quote(s) + ", which is not an https URL");
            }
            return uri.toURL();
        } catch (URISyntaxException | MalformedURLException | IllegalArgumentException e) {
            throw new IssuerMisconfiguredException("OIDC discovery document " + location + " gives the jwks_uri "
                    + SafeText.quote(s) + ", which is not a URL");
        }
    }

    private static String strip(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }
}
