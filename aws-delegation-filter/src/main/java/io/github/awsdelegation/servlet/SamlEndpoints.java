package io.github.awsdelegation.servlet;

import io.github.awsdelegation.DelegationService;
import io.github.awsdelegation.config.ConfigurationException;
import io.github.awsdelegation.config.SamlEndpointSettings;
import io.github.awsdelegation.sts.saml.SamlMetadata;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;

/**
 * The endpoints of SAML delegation, routed by the filter before it looks for a token: the IdP metadata (public),
 * console sign-in, the role listing, the command-line client's sign-in and the opt-in Auth0-compatible {@code /delegation}. Each is off when its path
 * is not configured.
 */
final class SamlEndpoints {

    private final DelegationService service;
    private final SamlEndpointSettings settings;
    private final SamlMetadata metadata;
    private final ConsoleSignIn console;
    private final RoleListing roles;
    private final CliSignIn cli;
    private final Auth0DelegationEndpoint delegation;

    SamlEndpoints(DelegationService service, OidcLogin login) {
        this.service = service;
        this.settings = service.config().samlEndpoints();
        this.metadata = new SamlMetadata(service.config().saml());
        ConsoleSignIn signIn = settings.consolePath() == null && settings.cliPath() == null ? null
                : new ConsoleSignIn(service, service.samlAssertions().orElseThrow(), login);
        this.console = settings.consolePath() == null ? null : signIn;
        this.cli = settings.cliPath() == null ? null : new CliSignIn(service, signIn);
        this.roles = settings.rolesPath() == null ? null : new RoleListing(service);
        this.delegation = settings.delegation() == null ? null : new Auth0DelegationEndpoint(service);
        requireBaseUrl(service.config().oidc().issuer(), settings);
    }

    /**
     * Fails the deployment when the metadata would take its sign-on location from the {@code Host} header of whoever
     * asks: allowed only while the app signs users in with a loopback identity provider (a developer's machine, the
     * embedded sample), where every host is a loopback one too.
     */
    static void requireBaseUrl(URI issuer, SamlEndpointSettings settings) {
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

    /** Handles the request when it is one of the endpoints; returns whether it was. */
    boolean handle(String path, HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (path.equals(settings.metadataPath())) {
            metadata(request, response);
        } else if (console != null && path.equals(settings.consolePath())) {
            console.handle(request, response);
        } else if (roles != null && path.equals(settings.rolesPath())) {
            roles.handle(request, response);
        } else if (cli != null && path.equals(settings.cliPath())) {
            cli.handle(request, response);
        } else if (delegation != null && path.equals(settings.delegation().path())) {
            delegation.handle(request, response);
        } else {
            return false;
        }
        return true;
    }

    // The metadata IAM's create-saml-provider takes: UTF-8 without a byte order mark, served to anyone.
    private void metadata(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (!"GET".equals(request.getMethod()) && !"HEAD".equals(request.getMethod())) {
            response.setHeader("Allow", "GET, HEAD");
            ErrorResponses.write(request, response, 405, "method_not_allowed", "use GET to download the IdP metadata");
            return;
        }
        if (settings.baseUrl() == null && !isLoopback(request.getServerName())) {
            // Start-up allowed a request-derived location for a loopback deployment only; this Host is not one.
            ErrorResponses.write(request, response, HttpServletResponse.SC_BAD_REQUEST, "invalid_request",
                    "the IdP metadata is served by its loopback name only until saml.baseUrl is configured; "
                            + "the administrator sets saml.baseUrl to the app's public URL");
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
