package io.github.awsdelegation.servlet;

import io.github.awsdelegation.Delegation;
import io.github.awsdelegation.DelegationException;
import io.github.awsdelegation.DelegationService;
import io.github.awsdelegation.EntryPoint;
import io.github.awsdelegation.config.ConfigurationException;
import io.github.awsdelegation.config.LoginSettings;
import io.github.awsdelegation.config.DelegationConfig;
import io.github.awsdelegation.config.DelegationConfigLoader;
import io.github.awsdelegation.internal.LogSafe;
import io.github.awsdelegation.role.RulePlaceholder;
import io.github.awsdelegation.token.IssuerMisconfiguredException;
import io.github.awsdelegation.token.IssuerUnavailableException;
import io.github.awsdelegation.token.VerifiedIdentity;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The drop-in servlet filter: for each request it validates the user's ID token, decides the IAM role by
 * the configured rules, obtains scoped temporary credentials from STS (cached per user) and exposes them
 * as the request attribute {@link Delegation#REQUEST_ATTRIBUTE}.
 *
 * <p>Configured in {@code web.xml}:
 * <pre>{@code
 * <filter>
 *   <filter-name>aws-delegation</filter-name>
 *   <filter-class>io.github.awsdelegation.servlet.AwsDelegationFilter</filter-class>
 *   <init-param>
 *     <param-name>config</param-name>
 *     <param-value>/WEB-INF/aws-delegation.yaml</param-value>
 *   </init-param>
 * </filter>
 * }</pre>
 * The {@code config} parameter names a web app resource ({@code /WEB-INF/...}), a class path resource
 * ({@code classpath:...}) or a file ({@code file:...}); {@code ${NAME}} in it is replaced by a system
 * property or environment variable. The whole configuration is validated in {@link #init}: a mistake
 * fails the deployment with the key at fault and the fix.
 *
 * <p>With the built-in login ({@code login:}), a browser's HTTP session holds a {@link RelyingPartySession}: the user
 * verified at sign-in, whose session lasts {@code login.idleTimeout} / {@code login.maxAge}, not as long as the ID
 * token; the ID token is renewed with the refresh token when STS needs a fresh one. When that session cannot continue,
 * a browser navigation is sent to sign in and back, any other request gets 401 {@code login_required} with a JSON body
 * naming the login URL. Bearer tokens are validated on every request, as before.
 *
 * <p>Answers: 401 with {@code WWW-Authenticate: Bearer error="invalid_token"} for a missing or rejected
 * token (browser navigations are sent to the login page instead when the built-in login is on), 403 for
 * a role that is not permitted, 503 with {@code Retry-After} when STS or the identity provider cannot be
 * reached. Credentials never reach the browser.
 */
public class AwsDelegationFilter implements Filter {

    /** The init parameter naming the configuration document. */
    public static final String CONFIG_PARAMETER = "config";

    /** The servlet context attribute under which the running {@link DelegationService} is published. */
    public static final String SERVICE_ATTRIBUTE = DelegationService.class.getName();

    private static final Logger LOG = LoggerFactory.getLogger(AwsDelegationFilter.class);

    /** An ID token sent to STS must stay valid at least this long, or it is renewed first: 60 seconds. */
    static final Duration STS_TOKEN_MINIMUM_VALIDITY = Duration.ofSeconds(60);

    private final Clock clock;
    private DelegationService service;
    private DelegationConfig config;
    private OidcLogin login;
    private SamlEndpoints saml;
    private boolean ownsService;

    /** Creates the filter; it reads its configuration in {@link #init}. */
    public AwsDelegationFilter() {
        this.clock = Clock.systemUTC();
    }

    /** Creates the filter around a running service, for apps that build the configuration in code. */
    public AwsDelegationFilter(DelegationService service) {
        this(service, Clock.systemUTC());
    }

    /**
     * Creates the filter around a running service with the clock the sign-in session reads (its idle timeout and
     * maximum age), for tests that advance time instead of waiting.
     */
    public AwsDelegationFilter(DelegationService service, Clock clock) {
        this.service = service;
        this.clock = java.util.Objects.requireNonNull(clock, "clock");
    }

    /** Returns the delegation the filter attached to the request, if any. */
    public static Optional<Delegation> delegation(ServletRequest request) {
        return Optional.ofNullable((Delegation) request.getAttribute(Delegation.REQUEST_ATTRIBUTE));
    }

    @Override
    public void init(FilterConfig filterConfig) throws ServletException {
        ServletContext context = filterConfig.getServletContext();
        try {
            if (service == null) {
                String location = filterConfig.getInitParameter(CONFIG_PARAMETER);
                if (location == null || location.isBlank()) {
                    throw new ConfigurationException(CONFIG_PARAMETER, "the filter's init-param 'config' is missing; point it at "
                            + "the configuration document, e.g. /WEB-INF/aws-delegation.yaml");
                }
                service = DelegationService.create(DelegationConfigLoader.create().parse(read(context, location)));
                ownsService = true;
            }
            config = service.config();
            // Extensions in the web app (the CDI module: rule beans, CDI events) join before the first request.
            for (DelegationServiceCustomizer customizer : ServiceLoader.load(DelegationServiceCustomizer.class,
                    Thread.currentThread().getContextClassLoader())) {
                customizer.customize(service, context);
            }
            List<String> unfilled = service.decider().rules().unfilledPlaceholders();
            if (!unfilled.isEmpty()) {
                throw new ConfigurationException("rules", RulePlaceholder.unfilledMessage(unfilled.get(0)));
            }
            try {
                service.validator().discover();
            } catch (IssuerMisconfiguredException e) {
                throw new ConfigurationException("oidc.issuer", e.getMessage(), e);
            } catch (IssuerUnavailableException e) {
                LOG.warn("The OIDC issuer {} cannot be reached at start-up ({}); tokens will be checked once it can",
                        config.oidc().issuer(), e.getMessage());
            }
            if (config.login() != null) {
                login = new OidcLogin(service, clock);
                login.discover();
            }
            if (config.saml() != null) {
                saml = new SamlEndpoints(service, login);
            }
        } catch (ConfigurationException e) {
            LOG.error("AWS delegation configuration error: {}", e.getMessage());
            if (ownsService && service != null) {
                service.close();  // its refresh threads and HTTP clients would outlive the failed deployment
            }
            throw new ServletException("AWS delegation configuration error: " + e.getMessage(), e);
        }
        context.setAttribute(SERVICE_ATTRIBUTE, service);
        LOG.info("AWS delegation ready: issuer={} clientId={} rules={} region={}{}", config.oidc().issuer(), config.oidc().clientId(),
                service.decider().rules().rules().size(), config.sts().region(),
                config.sts().endpointOverride() == null ? "" : " stsEndpoint=" + config.sts().endpointOverride());
    }

    static String read(ServletContext context, String location) {
        try {
            if (location.startsWith("classpath:")) {
                String resource = location.substring("classpath:".length()).replaceFirst("^/", "");
                ClassLoader loader = Thread.currentThread().getContextClassLoader();
                try (InputStream in = loader.getResourceAsStream(resource)) {
                    if (in == null) {
                        throw new ConfigurationException(CONFIG_PARAMETER, "no class path resource " + resource);
                    }
                    return new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
            }
            if (location.startsWith("file:")) {
                return Files.readString(Path.of(location.substring("file:".length())), StandardCharsets.UTF_8);
            }
            try (InputStream in = context.getResourceAsStream(location)) {
                if (in == null) {
                    throw new ConfigurationException(CONFIG_PARAMETER, "no web app resource " + location
                            + "; use /WEB-INF/..., classpath:... or file:...");
                }
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw new ConfigurationException(CONFIG_PARAMETER, "cannot read " + location + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) req;
        HttpServletResponse response = (HttpServletResponse) res;
        // The container's normalised path, the one it maps to a servlet: public paths and the module's own
        // endpoints are matched on it, and a raw URI that reads differently elsewhere is refused unless public.
        RequestPath target = RequestPath.of(request);
        String path = target.path();
        if (target.refused(config.request()::isPublic)) {
            ErrorResponses.write(request, response, HttpServletResponse.SC_BAD_REQUEST, "invalid_request", target.refusal());
            return;
        }
        if (login != null) {
            // The filter's error pages offer a sign-out button (a POST, as the logout path asks).
            request.setAttribute(ErrorResponses.SIGN_OUT_ACTION_ATTRIBUTE, request.getContextPath() + config.login().logoutPath());
        }
        if (login != null && login.handle(path, request, response)
                || saml != null && saml.handle(path, request, response)) {
            return;
        }
        if (config.request().isPublic(path)) {
            proceed(chain, request, response);
            return;
        }

        String token = bearerToken(request);
        HttpSession session = token == null ? request.getSession(false) : null;
        RelyingPartySession signedIn = session == null ? null : relyingPartySession(session);
        if (signedIn != null && login != null) {
            sessionRequest(request, response, chain, path, session, signedIn);
            return;
        }
        boolean fromSession = false;
        if (token == null && session != null && session.getAttribute(config.request().sessionAttribute()) instanceof String s) {
            // A token the app itself put in the session: validated on every request, as a bearer token is.
            token = s;
            fromSession = true;
        }
        if (token == null) {
            String reason = "no ID token: sign in" + (login == null ? "" : " at " + request.getContextPath()
                    + config.login().loginPath()) + " or send Authorization: Bearer <ID token>";
            if (login != null) {
                login.loginRequired(request, response, reason, pathAndQuery(path, request), isBrowserNavigation(request));
                return;
            }
            ErrorResponses.unauthorized(request, response, "invalid_token", reason);
            return;
        }

        RoleRequest asked = admit(request, response, fromSession);
        if (asked == null) {
            return;
        }
        Delegation delegation;
        try {
            String presented = token;
            delegation = service.delegate(service.validator().validate(presented, null), () -> presented, asked.role(),
                    EntryPoint.FILTER);
        } catch (DelegationException e) {
            if (fromSession && e instanceof io.github.awsdelegation.token.TokenRejectedException && login != null
                    && config.login().redirectBrowsers() && isBrowserNavigation(request)) {
                // The app's session token has expired: sign in again rather than show an error page.
                session.removeAttribute(config.request().sessionAttribute());
                login.login(request, response, login.safeReturnPath(pathAndQuery(path, request)));
                return;
            }
            ErrorResponses.send(request, response, e);
            return;
        } catch (RuntimeException e) {
            unexpected(request, response, e);
            return;
        }
        if (fromSession) {
            bindEviction(session, delegation);
        }
        request.setAttribute(Delegation.REQUEST_ATTRIBUTE, delegation);
        proceed(chain, request, response);
    }

    /**
     * A request of the built-in login's session: the identity was verified at sign-in (or the last refresh), so it is
     * not validated again; the session's own lifetime applies, and the ID token is renewed only when STS needs it.
     */
    private void sessionRequest(HttpServletRequest request, HttpServletResponse response, FilterChain chain, String path,
            HttpSession session, RelyingPartySession signedIn) throws IOException, ServletException {
        Instant now = clock.instant();
        LoginSettings settings = config.login();
        RoleRequest asked = admit(request, response, true);
        if (asked == null) {
            return;
        }
        Delegation delegation;
        try {
            String ended = signedIn.endReason(now, settings);
            if (ended != null) {
                throw new SessionEndedException(ended);
            }
            VerifiedIdentity identity = signedIn.identity();
            if (identity == null) {
                identity = restore(signedIn, now);
            }
            signedIn.touch(now);
            delegation = service.delegate(identity,
                    () -> signedIn.freshIdToken(login, clock.instant(), STS_TOKEN_MINIMUM_VALIDITY), asked.role(),
                    EntryPoint.FILTER)
                    .withSessionEnd(signedIn.endsAt(now, settings));
        } catch (SessionEndedException e) {
            LOG.info("Sign-in session of subject={} ended: {}", LogSafe.of(signedIn.subject()),
                    e.getMessage());
            try {
                session.invalidate(); // unbinds SessionEviction: the user's cached credentials go with the session
            } catch (IllegalStateException alreadyInvalidated) {
                // Another request ended it meanwhile.
            }
            login.loginRequired(request, response, e.getMessage(), pathAndQuery(path, request), isBrowserNavigation(request));
            return;
        } catch (DelegationException e) {
            ErrorResponses.send(request, response, e);
            return;
        } catch (RuntimeException e) {
            unexpected(request, response, e);
            return;
        }
        if (signedIn.changedSincePublished()) {
            try {
                session.setAttribute(RelyingPartySession.ATTRIBUTE, signedIn); // replicate the renewed tokens
            } catch (IllegalStateException invalidated) {
                // Signed out meanwhile.
            }
        }
        request.setAttribute(Delegation.REQUEST_ATTRIBUTE, delegation);
        proceed(chain, request, response);
    }

    /** The role the client asked for, {@code null} for the default. */
    private record RoleRequest(String role) {
    }

    /**
     * The checks a request passes before the pipeline, whichever way it is authenticated: one acting with the session
     * cookie must come from this app (CSRF), and a role request must be unambiguous. Returns {@code null} when it
     * answered (403 or 400).
     */
    private RoleRequest admit(HttpServletRequest request, HttpServletResponse response, boolean sessionCookie)
            throws IOException {
        if (sessionCookie && !CrossSiteRequests.check(request, response, config.request().allowedOrigins())) {
            return null;  // a page elsewhere made the browser send the session cookie
        }
        try {
            return new RoleRequest(requestedRole(request));
        } catch (AmbiguousRoleRequest e) {
            ErrorResponses.write(request, response, HttpServletResponse.SC_BAD_REQUEST, "invalid_request", e.getMessage());
            return null;
        }
    }

    // After the container restored a persisted session: the identity is validated again from the stored ID token,
    // or from a refreshed one when it has expired meanwhile.
    private VerifiedIdentity restore(RelyingPartySession signedIn, Instant now) {
        VerifiedIdentity identity;
        try {
            identity = service.validator().validate(signedIn.idToken(), null);
        } catch (io.github.awsdelegation.token.TokenRejectedException rejected) {
            signedIn.freshIdToken(login, now, STS_TOKEN_MINIMUM_VALIDITY);
            if (signedIn.identity() == null) {
                // Rejected for another reason than its age (its key left the provider's JWKS, say): nothing to renew.
                throw new SessionEndedException(rejected.getMessage() + "; sign in again");
            }
            return signedIn.identity();
        }
        if (!identity.subject().equals(signedIn.subject()) || !identity.issuer().equals(signedIn.issuer())) {
            throw new SessionEndedException("the restored session's ID token names another user; sign in again");
        }
        signedIn.restored(identity);
        return identity;
    }

    private static RelyingPartySession relyingPartySession(HttpSession session) {
        try {
            return session.getAttribute(RelyingPartySession.ATTRIBUTE) instanceof RelyingPartySession rp ? rp : null;
        } catch (IllegalStateException invalidated) {
            return null;
        }
    }

    private static String pathAndQuery(String path, HttpServletRequest request) {
        return path + (request.getQueryString() == null ? "" : "?" + request.getQueryString());
    }

    private static void unexpected(HttpServletRequest request, HttpServletResponse response, RuntimeException e)
            throws IOException {
        LOG.error("Unexpected failure while obtaining AWS credentials", e);
        ErrorResponses.write(request, response, 500, "server_error",
                "an unexpected error occurred while obtaining AWS credentials; the server log has the details");
    }

    // The app's own refusals (the CDI module's @RequiresAwsRole) get the filter's answers, e.g. the same 403.
    private static void proceed(FilterChain chain, HttpServletRequest request, HttpServletResponse response)
            throws IOException, ServletException {
        try {
            chain.doFilter(request, response);
        } catch (RuntimeException | ServletException e) {
            DelegationException refusal = delegationCause(e);
            if (refusal == null || response.isCommitted()) {
                throw e;
            }
            ErrorResponses.send(request, response, refusal);
        }
    }

    private static DelegationException delegationCause(Throwable e) {
        Throwable t = e;
        for (int depth = 0; t != null && depth < 10; depth++, t = t.getCause()) {
            if (t instanceof DelegationException d) {
                return d;
            }
        }
        return null;
    }

    private void bindEviction(HttpSession session, Delegation delegation) {
        String issuer = delegation.identity().issuer();
        String subject = delegation.identity().subject();
        try {
            if (!(session.getAttribute(SessionEviction.ATTRIBUTE) instanceof SessionEviction existing)
                    || !existing.isFor(issuer, subject)) {
                session.setAttribute(SessionEviction.ATTRIBUTE, new SessionEviction(service, issuer, subject));
            }
        } catch (IllegalStateException invalidated) {
            // The session ended while the request ran; its credentials were evicted already.
        }
    }

    private String bearerToken(HttpServletRequest request) {
        if (!config.request().bearer()) {
            return null;
        }
        String header = request.getHeader("Authorization");
        if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            String token = header.substring(7).trim();
            return token.isEmpty() ? null : token;
        }
        return null;
    }

    /**
     * The role the client asks for, from the header or the query string (never the body: getParameter() would
     * consume a POST body the app still needs). A request that asks twice — two query values, several header
     * values, or a header and a query value that disagree — is refused rather than resolved: a proxy, a log or
     * the app might read the other value than the filter did.
     */
    private String requestedRole(HttpServletRequest request) {
        List<String> asked = new ArrayList<>();
        String headerName = config.request().roleHeader();
        if (headerName != null) {
            for (Enumeration<String> values = request.getHeaders(headerName); values != null && values.hasMoreElements(); ) {
                for (String value : values.nextElement().split(",", -1)) {
                    if (!value.isBlank()) {
                        asked.add(value.trim());
                    }
                }
            }
            if (asked.size() > 1) {
                throw new AmbiguousRoleRequest("the " + headerName + " header names " + asked.size()
                        + " roles; request one role per request");
            }
        }
        String query = request.getQueryString();
        String name = config.request().roleParameter();
        if (query != null && name != null) {
            List<String> fromQuery = new ArrayList<>();
            for (String pair : query.split("&")) {
                int eq = pair.indexOf('=');
                String key = eq < 0 ? pair : pair.substring(0, eq);
                try {
                    if (URLDecoder.decode(key, StandardCharsets.UTF_8).equals(name)) {
                        String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                        fromQuery.add(value.trim());
                    }
                } catch (IllegalArgumentException malformed) {
                    throw new AmbiguousRoleRequest("the query string is not valid URL encoding; encode the "
                            + name + " parameter with percent-encoding");
                }
            }
            if (fromQuery.size() > 1) {
                throw new AmbiguousRoleRequest("the query string names " + name + " " + fromQuery.size()
                        + " times; request one role per request");
            }
            if (fromQuery.size() == 1 && !fromQuery.get(0).isEmpty()) {
                if (!asked.isEmpty() && !asked.get(0).equals(fromQuery.get(0))) {
                    throw new AmbiguousRoleRequest("the " + headerName + " header and the " + name
                            + " parameter ask for different roles; send one of them");
                }
                if (asked.isEmpty()) {
                    asked.add(fromQuery.get(0));
                }
            }
        }
        return asked.isEmpty() ? null : asked.get(0);
    }

    /** A role request that names more than one role (400): refused rather than resolved. */
    private static final class AmbiguousRoleRequest extends RuntimeException {
        private static final long serialVersionUID = 1L;

        AmbiguousRoleRequest(String message) {
            super(message, null, false, false);
        }
    }

    // A GET the browser navigates (not a script, not a bearer client): one that can be sent to the sign-in and back.
    private static boolean isBrowserNavigation(HttpServletRequest request) {
        return "GET".equals(request.getMethod()) && request.getHeader("Authorization") == null
                && ErrorResponses.isNavigation(request);
    }

    @Override
    public void destroy() {
        if (ownsService && service != null) {
            service.close();
        }
    }
}
