package io.github.awsdelegation.servlet.internal;

import io.github.awsdelegation.DelegationService;
import io.github.awsdelegation.config.ConfigurationException;
import io.github.awsdelegation.config.SamlEndpointSettings;
import io.github.awsdelegation.sts.saml.internal.SamlMetadata;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * The endpoints of SAML delegation: the IdP metadata (public), console sign-in, the role listing, the command-line
 * client's sign-in and the opt-in Auth0-compatible {@code /delegation}. Each is off when its path is not configured.
 * This class serves the metadata and makes the others.
 */
public final class SamlEndpoints implements Endpoint {

    private final DelegationService service;
    private final SamlEndpointSettings settings;
    private final SamlMetadata metadata;

    private SamlEndpoints(DelegationService service) {
        this.service = service;
        this.settings = service.config().samlEndpoints();
        this.metadata = new SamlMetadata(service.config().saml());
    }

    /**
     * Returns the configured SAML endpoints.
     *
     * @param login the built-in login, or {@code null}: browser endpoints send a user without a session there first
     * @throws io.github.awsdelegation.config.ConfigurationException when the metadata has no {@code saml.baseUrl} to
     *                                                              take its location from
     */
    public static List<Endpoint> of(DelegationService service, OidcLogin login, Authenticator authenticator, Clock clock) {
        SamlEndpointSettings settings = service.config().samlEndpoints();
        requireBaseUrl(service.config().oidc().issuer(), settings);
        List<Endpoint> endpoints = new ArrayList<>();
        if (settings.metadataPath() != null) {
            endpoints.add(new SamlEndpoints(service));
        }
        if (settings.consolePath() != null || settings.cliPath() != null) {
            // The service's factory, on its clock: the one AssumeRoleWithSAML signs with too.
            SamlSignIn signIn = new SamlSignIn(service, service.samlAssertions().orElseThrow(), login, authenticator);
            if (settings.consolePath() != null) {
                endpoints.add(new ConsoleSignIn(settings, signIn));
            }
            if (settings.cliPath() != null) {
                endpoints.add(new CliSignIn(settings, signIn));
            }
        }
        if (settings.rolesPath() != null) {
            endpoints.add(new RoleListing(service, authenticator));
        }
        if (settings.delegation() != null) {
            endpoints.add(new Auth0DelegationEndpoint(service, authenticator, clock));
        }
        return endpoints;
    }

    @Override
    public String path() {
        return settings.metadataPath();
    }

    @Override
    public List<String> methods() {
        return List.of("GET", "HEAD");
    }

    @Override
    public String usage() {
        return "use GET to download the IdP metadata";
    }

    /**
     * Fails the deployment when the metadata would take its sign-on location from the {@code Host} header of whoever
     * asks: allowed only while the app signs users in with a loopback identity provider (a developer's machine, the
     * embedded sample), where every host is a loopback one too.
     */
    public static void requireBaseUrl(URI issuer, SamlEndpointSettings settings) {
        if (settings.metadataPath() != null && settings.baseUrl() == null && !isLoopback(issuer.getHost())) {
            throw new ConfigurationException("saml.baseUrl", "is required: the IdP metadata's sign-on location must not "
                    + "come from the Host header of whoever asks; set it to the app's public URL (its context root), "
                    + "e.g. https://shop.example.com/");
        }
    }

    /** Tells whether a host name is a loopback name or address literal, without asking DNS. */
    static boolean isLoopback(String host) {
        if (host == null) {
            return false;
        }
        String h = host.toLowerCase(java.util.Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        return h.equals("localhost") || h.endsWith(".localhost") || h.equals("::1") || h.equals("0:0:0:0:0:0:0:1")
                || h.matches("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");
    }

    // The metadata IAM's create-saml-provider takes: UTF-8 without a byte order mark, served to anyone.
    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (settings.baseUrl() == null && !isLoopback(request.getServerName())) {
            // Start-up allowed a request-derived location for a loopback deployment only; this Host is not one.
            Answers.send(request, response, Problem.badRequest(
                    "the IdP metadata is served by its loopback name only until saml.baseUrl is configured; "
                            + "the administrator sets saml.baseUrl to the app's public URL"));
            return;
        }
        byte[] document = metadata.document(singleSignOnLocation(request));
        response.setStatus(200);
        response.setContentType(SamlMetadata.MEDIA_TYPE);
        response.setHeader("Content-Disposition", "inline; filename=\"aws-delegation-idp-metadata.xml\"");
        response.setHeader("X-Content-Type-Options", "nosniff");
        // From the configured base URL the document is the same for everyone; from the request it is not, and no
        // shared cache (keyed by URL, not Host) may hand one requester's version to another.
        response.setHeader("Cache-Control", settings.baseUrl() != null ? "public, max-age=300" : "no-store");
        response.setContentLength(document.length);
        if ("GET".equals(request.getMethod())) {
            response.getOutputStream().write(document);
        }
    }

    /** The console sign-in URL: from {@code saml.baseUrl} behind a proxy, else from the request. */
    private URI singleSignOnLocation(HttpServletRequest request) {
        String path = settings.consolePath() != null ? settings.consolePath() : SamlEndpointSettings.DEFAULT_CONSOLE_PATH;
        if (settings.baseUrl() != null) {
            String base = settings.baseUrl().toString();
            return URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + path);
        }
        return URI.create(BrowserPages.origin(request) + request.getContextPath() + path);
    }

    @Override
    public String toString() {
        return "SamlEndpoints[" + service.config().saml().entityId() + "]";
    }
}
