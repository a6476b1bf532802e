package io.github.awsdelegation.servlet;

import io.github.awsdelegation.EntryPoint;
import io.github.awsdelegation.Delegation;
import io.github.awsdelegation.DelegationException;
import io.github.awsdelegation.DelegationService;
import io.github.awsdelegation.config.ConfigurationException;
import io.github.awsdelegation.config.DelegationConfig;
import io.github.awsdelegation.config.DelegationConfigLoader;
import io.github.awsdelegation.role.internal.RulePlaceholder;
import io.github.awsdelegation.token.IssuerMisconfiguredException;
import io.github.awsdelegation.token.IssuerUnavailableException;
import io.github.awsdelegation.servlet.internal.AdminEndpoints;
import io.github.awsdelegation.internal.CurrentRequest;
import io.github.awsdelegation.metrics.DelegationMetrics;
import io.github.awsdelegation.servlet.internal.Answers;
import io.github.awsdelegation.servlet.internal.Authenticator;
import io.github.awsdelegation.servlet.internal.CrossSiteRequests;
import io.github.awsdelegation.servlet.internal.Endpoint;
import io.github.awsdelegation.servlet.internal.Endpoints;
import io.github.awsdelegation.servlet.internal.OidcLogin;
import io.github.awsdelegation.servlet.internal.Problem;
import io.github.awsdelegation.servlet.internal.RequestPath;
import io.github.awsdelegation.servlet.internal.RoleRequest;
import io.github.awsdelegation.servlet.internal.SamlEndpoints;
import io.github.awsdelegation.servlet.internal.SessionEndedException;
import io.github.awsdelegation.servlet.internal.SignedInUser;
import io.github.awsdelegation.token.TokenRejectedException;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
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
 * <p>With the built-in login ({@code login:}), a browser's HTTP session holds the module's sign-in session: the user
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

    private final Clock clock;
    private DelegationService service;
    private DelegationConfig config;
    private OidcLogin login;
    private ServletContext signOutContext; // where init told error pages the logout path, when the built-in login is on
    private Authenticator authenticator;
    private Endpoints endpoints;
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
            // Metrics, when the app put a Micrometer registry in the context (a constant: no Micrometer class loads).
            Object registry = context.getAttribute(DelegationMetrics.REGISTRY_ATTRIBUTE);
            if (registry != null && ownsService && !service.telemetry().measuring()) {
                try {
                    DelegationMetrics.bind(service, registry);
                } catch (IllegalArgumentException | LinkageError e) {
                    throw new ConfigurationException(DelegationMetrics.REGISTRY_ATTRIBUTE, "the servlet context attribute "
                            + "must be a Micrometer MeterRegistry, with micrometer-core on the class path: " + e, e);
                }
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
            List<Endpoint> routed = new ArrayList<>();
            if (config.login() != null) {
                login = new OidcLogin(service, clock);
                login.discover();
                routed.addAll(login.endpoints());
            }
            authenticator = new Authenticator(service, login, clock);
            if (config.saml() != null) {
                routed.addAll(SamlEndpoints.of(service, login, authenticator, clock));
            }
            routed.addAll(AdminEndpoints.of(service, authenticator));
            endpoints = new Endpoints(routed);
        } catch (ConfigurationException e) {
            LOG.error("AWS delegation configuration error: {}", e.getMessage());
            if (ownsService && service != null) {
                service.close();  // its refresh threads and HTTP clients would outlive the failed deployment
            }
            throw new ServletException("AWS delegation configuration error: " + e.getMessage(), e);
        }
        context.setAttribute(SERVICE_ATTRIBUTE, service);
        if (login != null) {
            // The filter's error pages offer a sign-out button (a POST, as the logout path asks): told once, not per request.
            context.setAttribute(Answers.SIGN_OUT_ACTION_ATTRIBUTE, config.login().logoutPath());
            signOutContext = context;
        }
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
        // One id per HTTP request, in every event it causes and in the answer: the client's when it is safe to log.
        String requestId = CurrentRequest.id();
        if (requestId != null) {
            filter(request, response, chain); // forwarded or included within a request already in scope
            return;
        }
        requestId = CurrentRequest.idFrom(request.getHeader(CurrentRequest.DEFAULT_HEADER));
        response.setHeader(CurrentRequest.DEFAULT_HEADER, requestId);
        try (var scope = CurrentRequest.start(requestId)) { // none was in scope: asked above
            filter(request, response, chain);
        }
    }

    private void filter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        // The container's normalised path, the one it maps to a servlet: public paths and the module's own
        // endpoints are matched on it, and a raw URI that reads differently elsewhere is refused unless public.
        RequestPath target = RequestPath.of(request);
        String path = target.path();
        if (target.refused(config.request()::isPublic)) {
            Answers.send(request, response, Problem.badRequest(target.refusal()));
            return;
        }
        if (endpoints.handle(path, request, response)) {
            return;
        }
        if (config.request().isPublic(path)) {
            proceed(chain, request, response);
            return;
        }
        Authenticator.Presented presented = authenticator.find(request, true);
        if (presented == null) {
            String reason = "no ID token: sign in" + (login == null ? "" : " at " + request.getContextPath()
                    + config.login().loginPath()) + " or send Authorization: Bearer <ID token>";
            if (login != null) {
                login.loginRequired(request, response, reason, pathAndQuery(path, request));
            } else {
                Answers.send(request, response, Problem.invalidToken(reason));
            }
            return;
        }
        RoleRequest asked = admit(request, response, presented.viaCookie());
        if (asked == null) {
            return;
        }
        SignedInUser user = null;
        Delegation delegation;
        try {
            user = authenticator.verify(presented);
            delegation = service.delegate(user.cleared(), user.idToken(), asked.role(), EntryPoint.FILTER);
            if (user.sessionEnd() != null) {
                delegation = delegation.withSessionEnd(user.sessionEnd());
            }
        } catch (SessionEndedException e) {
            if (user != null) {
                authenticator.ended(user, e); // the ID token could not be renewed for STS
            }
            login.loginRequired(request, response, e.getMessage(), pathAndQuery(path, request));
            return;
        } catch (TokenRejectedException e) {
            if (presented.source() == SignedInUser.Source.APP_SESSION && login != null && config.login().redirectBrowsers()
                    && Answers.isBrowserNavigation(request)) {
                // The app's session token has expired: sign in again rather than show an error page.
                presented.session().removeAttribute(config.request().sessionAttribute());
                login.login(request, response, login.safeReturnPath(pathAndQuery(path, request)));
                return;
            }
            Answers.send(request, response, e);
            return;
        } catch (DelegationException e) {
            Answers.send(request, response, e);
            return;
        } catch (RuntimeException e) {
            LOG.error("Unexpected failure while obtaining AWS credentials", e);
            Answers.send(request, response, Problem.serverError(
                    "an unexpected error occurred while obtaining AWS credentials; the server log has the details"));
            return;
        }
        authenticator.delegated(user);
        request.setAttribute(Delegation.REQUEST_ATTRIBUTE, delegation);
        proceed(chain, request, response);
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
            return RoleRequest.of(request, config.request());
        } catch (RoleRequest.AmbiguousRoleRequestException e) {
            Answers.send(request, response, Problem.badRequest(e.getMessage()));
            return null;
        }
    }

    private static String pathAndQuery(String path, HttpServletRequest request) {
        return path + (request.getQueryString() == null ? "" : "?" + request.getQueryString());
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
            Answers.send(request, response, refusal);
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

    @Override
    public void destroy() {
        if (signOutContext != null) {
            signOutContext.removeAttribute(Answers.SIGN_OUT_ACTION_ATTRIBUTE);
        }
        if (ownsService && service != null) {
            service.close();
        }
    }
}
