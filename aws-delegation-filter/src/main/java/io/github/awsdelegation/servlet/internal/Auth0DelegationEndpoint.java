package io.github.awsdelegation.servlet.internal;

import io.github.awsdelegation.role.RoleDeniedException;
import io.github.awsdelegation.role.RoleDecision;
import io.github.awsdelegation.EntryPoint;
import com.nimbusds.jose.util.JSONObjectUtils;
import io.github.awsdelegation.Delegation;
import io.github.awsdelegation.DelegationException;
import io.github.awsdelegation.DelegationService;
import io.github.awsdelegation.config.SamlEndpointSettings;
import io.github.awsdelegation.internal.LogSafe;
import io.github.awsdelegation.role.RoleGrant;
import io.github.awsdelegation.role.RoleRules;
import io.github.awsdelegation.sts.internal.Partition;
import io.github.awsdelegation.sts.saml.SamlAssertionFactory;
import io.github.awsdelegation.token.VerifiedIdentity;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Auth0-compatible delegation endpoint, {@code POST /delegation}: an app built on auth0.js v7
 * {@code getDelegationToken} (or anything that called Auth0's endpoint) gets AWS credentials by changing the URL.
 *
 * <p>Request (form or JSON): {@code client_id} (an allowed client), {@code grant_type} =
 * {@code urn:ietf:params:oauth:grant-type:jwt-bearer}, {@code id_token}, {@code api_type} = {@code aws}, and
 * optionally {@code target} (an allowed client), {@code role} (ARN or name) and {@code principal} (the SAML provider
 * ARN auth0.js sent). The requested role passes through the same rules as every request: a role they do not
 * permit is refused (403), whatever the client asks for. Credentials come from the cache and the configured STS
 * operation of the role, exactly as for the filter.
 *
 * <p>Answer (JSON, Auth0's shape): {@code Credentials {AccessKeyId, SecretAccessKey, SessionToken, Expiration}},
 * {@code AssumedRoleUser {AssumedRoleId, Arn}}, {@code Subject}, and for roles assumed with SAML
 * {@code SubjectType}, {@code Issuer}, {@code Audience} and {@code NameQualifier} as STS reports them (for web
 * identity roles, {@code Issuer} and {@code Audience} are the OIDC issuer and client id). Errors are OAuth-style
 * {@code {"error", "error_description"}}, which auth0.js reads. The answer holds credentials for the API client by
 * design; it is never cached, and cross-origin browsers get it only from configured origins.
 */
final class Auth0DelegationEndpoint implements Endpoint {

    /** The grant type Auth0's delegation endpoint required. */
    static final String JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer";

    private static final Logger LOG = LoggerFactory.getLogger(Auth0DelegationEndpoint.class);
    private static final Logger AUDIT = LoggerFactory.getLogger(RoleRules.REFUSALS_LOGGER);
    private static final int MAX_BODY_BYTES = 64 * 1024;

    private final DelegationService service;
    private final SamlEndpointSettings.Delegation settings;
    private final Set<String> clientIds;
    private final RateLimits perAddress;
    private final RateLimits perUser;
    private final Authenticator authenticator;

    Auth0DelegationEndpoint(DelegationService service, Authenticator authenticator, Clock clock) {
        this.service = service;
        this.authenticator = authenticator;
        this.settings = service.config().samlEndpoints().delegation();
        this.clientIds = settings.clientIds().isEmpty() ? Set.of(service.config().oidc().clientId()) : settings.clientIds();
        this.perAddress = new RateLimits(settings.rateLimit(), clock);
        this.perUser = new RateLimits(settings.rateLimit(), clock);
    }

    @Override
    public String path() {
        return settings.path();
    }

    @Override
    public List<String> methods() {
        return List.of("POST", "OPTIONS");
    }

    @Override
    public String usage() {
        return "use POST with client_id, grant_type, id_token and api_type";
    }

    /** Errors in OAuth's shape, which auth0.js reads. */
    @Override
    public ProblemFormat problemFormat() {
        return ProblemFormat.OAUTH_JSON;
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String origin = request.getHeader("Origin");
        boolean corsAllowed = origin != null && settings.allowedOrigins().contains(origin);
        if (corsAllowed) {
            response.setHeader("Access-Control-Allow-Origin", origin);
            response.setHeader("Vary", "Origin");
        }
        if ("OPTIONS".equals(request.getMethod())) {
            if (corsAllowed) {
                response.setHeader("Access-Control-Allow-Methods", "POST");
                response.setHeader("Access-Control-Allow-Headers", "Content-Type");
                response.setHeader("Access-Control-Max-Age", "600");
            }
            response.setStatus(204);
            return;
        }
        // Counted before anything is parsed or validated: a flood of bad tokens from one address is limited too.
        if (limited(request, response, perAddress.acquire(request.getRemoteAddr()), "this IP address")) {
            return;
        }
        if (request.getQueryString() != null) {
            // An id_token in a URL ends up in access logs and browser history.
            error(request, response, 400, "invalid_request", "send the parameters in the request body, not in the URL");
            return;
        }
        Map<String, String> params;
        try {
            params = parameters(request);
        } catch (IllegalArgumentException e) {
            error(request, response, 400, "invalid_request", e.getMessage());
            return;
        }
        String clientId = params.get("client_id");
        if (clientId == null || !clientIds.contains(clientId)) {
            error(request, response, 401, "invalid_client", clientId == null ? "client_id is missing"
                    : "client_id '" + printable(clientId) + "' may not use the delegation endpoint");
            return;
        }
        if (!JWT_BEARER.equals(params.get("grant_type"))) {
            error(request, response, 400, "unsupported_grant_type", "grant_type must be " + JWT_BEARER);
            return;
        }
        if (!"aws".equals(params.get("api_type"))) {
            error(request, response, 400, "invalid_request", "api_type must be aws");
            return;
        }
        String target = params.get("target");
        if (target != null && !clientIds.contains(target)) {
            error(request, response, 400, "invalid_request", "target '" + printable(target) + "' is not a client this endpoint serves");
            return;
        }
        String idToken = params.get("id_token");
        if (idToken == null || idToken.isBlank()) {
            error(request, response, 400, "invalid_request", "id_token is missing");
            return;
        }
        String principal = params.get("principal");
        Delegation delegation;
        try {
            VerifiedIdentity identity = authenticator.verifyToken(idToken).identity();
            // The token must have been issued to the client that presents it (and to the target it asks for): a token
            // of another client of the same provider is not a grant for this one (OIDC Core §3.1.3.7 aud, azp).
            String foreign = clientId;
            if (issuedTo(identity, clientId)) {
                foreign = target != null && !issuedTo(identity, target) ? target : null;
            }
            if (foreign != null) {
                AUDIT.warn("Delegation refused: subject={} client={} is not an audience of the ID token",
                        LogSafe.of(identity.subject()), printable(foreign));
                error(request, response, 400, "invalid_grant", "the id_token was not issued to '" + printable(foreign)
                        + "' (neither its aud nor its azp); send the client_id" + (target == null ? "" : " and target")
                        + " the token was issued to");
                return;
            }
            Duration wait = perUser.acquire(identity.issuer() + " " + identity.subject());
            if (limited(request, response, wait, "this user")) {
                return;
            }
            RoleDecision decision = service.decider().decide(identity, params.get("role"), EntryPoint.DELEGATION_ENDPOINT);
            RoleGrant granted = decision.role();
            if (principal != null && !principal.equals(granted.principalArn())) {
                // auth0.js sent the SAML provider with the role: it must be the granted role's, checked before STS is called.
                AUDIT.warn("Delegation refused: subject={} principal={} is not the principal of role {}",
                        LogSafe.of(identity.subject()), printable(principal), granted.roleArn());
                throw service.decider().refuse(identity, decision.ruleId(), granted.roleArn(), params.get("role"),
                        new RoleDeniedException("principal '" + printable(principal) + "' is not the provider role "
                                + granted.roleArn() + " trusts", decision.ruleId()), EntryPoint.DELEGATION_ENDPOINT);
            }
            // Validated and decided above, once each.
            delegation = service.delegate(identity, () -> idToken, decision, EntryPoint.DELEGATION_ENDPOINT);
        } catch (DelegationException e) {
            Answers.send(request, response, e, ProblemFormat.OAUTH_JSON);
            return;
        }
        RoleGrant role = delegation.decision().role();
        LOG.info("Delegation: client={} subject={} role={} assumedRoleId={}", LogSafe.of(clientId),
                LogSafe.of(delegation.identity().subject()), role.roleArn(), LogSafe.of(delegation.credentials().assumedRoleId()));
        respond(response, delegation);
    }

    private static boolean issuedTo(VerifiedIdentity identity, String client) {
        Object aud = identity.claims().get("aud");
        boolean audience = aud instanceof String a ? a.equals(client)
                : aud instanceof java.util.Collection<?> list && list.contains(client);
        return audience || client.equals(identity.claims().get("azp"));
    }

    // Auth0 answered 429 over its limit (10 a minute per user and IP); so does this endpoint, saying when to retry.
    private static boolean limited(HttpServletRequest request, HttpServletResponse response, Duration wait, String who)
            throws IOException {
        if (wait.isZero()) {
            return false;
        }
        long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
        Answers.send(request, response, Problem.tooManyRequests("too many delegation requests from " + who
                + "; try again in " + seconds + " s (the limit is saml.delegation.rateLimit per minute)", wait),
                ProblemFormat.OAUTH_JSON);
        return true;
    }

    private void respond(HttpServletResponse response, Delegation delegation) throws IOException {
        var c = delegation.credentials();
        Map<String, Object> credentials = new LinkedHashMap<>();
        var sdk = c.credentials(); // built from the cache's compact form on each call: once here
        credentials.put("AccessKeyId", sdk.accessKeyId());
        credentials.put("SecretAccessKey", sdk.secretAccessKey());
        credentials.put("SessionToken", sdk.sessionToken());
        credentials.put("Expiration", c.expiration().toString());
        Map<String, Object> user = new LinkedHashMap<>();
        user.put("AssumedRoleId", c.assumedRoleId());
        user.put("Arn", c.assumedRoleArn());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("Credentials", credentials);
        body.put("AssumedRoleUser", user);
        body.put("Subject", delegation.identity().subject());
        RoleGrant role = delegation.decision().role();
        if (role.federation() == RoleGrant.Federation.SAML && service.config().saml() != null) {
            String issuer = service.config().saml().entityId();
            Partition partition = Partition.of(role.partition());
            body.put("SubjectType", "persistent");
            body.put("Issuer", issuer);
            body.put("Audience", service.config().saml().signInUrl(partition).toString());
            body.put("NameQualifier", SamlAssertionFactory.nameQualifier(issuer, role.principalArn()));
        } else {
            body.put("Issuer", delegation.identity().issuer());
            body.put("Audience", service.config().oidc().clientId());
        }
        response.setStatus(200);
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("Pragma", "no-cache");
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setContentType("application/json;charset=UTF-8");
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.getWriter().write(JSONObjectUtils.toJSONString(body));
    }

    private static Map<String, String> parameters(HttpServletRequest request) throws IOException {
        String type = request.getContentType() == null ? "" : request.getContentType().toLowerCase(Locale.ROOT);
        Map<String, String> params = new LinkedHashMap<>();
        if (type.startsWith("application/json")) {
            byte[] body;
            try (InputStream in = request.getInputStream()) {
                body = in.readNBytes(MAX_BODY_BYTES + 1);
            }
            if (body.length > MAX_BODY_BYTES) {
                throw new IllegalArgumentException("the request body is larger than " + MAX_BODY_BYTES + " bytes");
            }
            Map<String, Object> json;
            try {
                json = JSONObjectUtils.parse(new String(body, StandardCharsets.UTF_8));
            } catch (ParseException e) {
                throw new IllegalArgumentException("the request body is not a JSON object");
            }
            json.forEach((k, v) -> {
                if (v instanceof String s) {
                    params.put(k, s);
                }
            });
            return params;
        }
        if (type.startsWith("application/x-www-form-urlencoded")) {
            if (request.getContentLengthLong() > MAX_BODY_BYTES) {
                throw new IllegalArgumentException("the request body is larger than " + MAX_BODY_BYTES + " bytes");
            }
            for (String name : new String[] {"client_id", "grant_type", "id_token", "target", "api_type", "role", "principal",
                    "scope"}) {
                String value = request.getParameter(name);
                if (value != null) {
                    params.put(name, value);
                }
            }
            return params;
        }
        throw new IllegalArgumentException("send the parameters as application/x-www-form-urlencoded or application/json");
    }

    private static void error(HttpServletRequest request, HttpServletResponse response, int status, String error,
            String description) throws IOException {
        Answers.send(request, response, Problem.of(status, error, description), ProblemFormat.OAUTH_JSON);
    }

    // Values from the client: short and printable in messages and logs.
    private static String printable(String value) {
        String s = value.length() > 200 ? value.substring(0, 200) + "..." : value;
        return s.replaceAll("[^\\x20-\\x7E]", "?");
    }
}
