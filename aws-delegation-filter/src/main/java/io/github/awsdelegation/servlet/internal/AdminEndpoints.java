package io.github.awsdelegation.servlet.internal;

import com.nimbusds.jose.util.JSONObjectUtils;
import io.github.awsdelegation.DelegationException;
import io.github.awsdelegation.DelegationService;
import io.github.awsdelegation.config.AdminSettings;
import io.github.awsdelegation.explain.Explanation;
import io.github.awsdelegation.health.HealthReport;
import io.github.awsdelegation.internal.LogSafe;
import io.github.awsdelegation.role.RoleDecision;
import io.github.awsdelegation.role.RoleGrant;
import io.github.awsdelegation.token.VerifiedIdentity;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The opt-in admin paths ({@code admin:}, docs/operations.md): {@code <path>/explain} and {@code <path>/health}.
 *
 * <p>Who may use them: an admin is a request from loopback ({@code admin.loopback}) or a signed-in user (session or
 * bearer token) whom the rules permit one of {@code admin.roles}; with {@code admin.selfExplain} any signed-in user may
 * {@code GET} the explanation of their own role. {@code GET explain} explains the signed-in user (a {@code role}
 * parameter asks about that role); {@code POST explain}, admins only, explains the claims of a JSON body
 * {@code {"claims": {...}, "role": "..."}}; {@code GET health} answers the readiness report, 200 when ready, 503 not.
 * Anyone else gets 403 (401 without a user). Every answer is {@code no-store}; explanations name claims and the
 * session policy, never a token or a credential.
 */
public final class AdminEndpoints {

    private static final Logger AUDIT = LoggerFactory.getLogger(io.github.awsdelegation.role.RoleRules.REFUSALS_LOGGER);
    private static final int MAX_BODY_BYTES = 64 * 1024;

    private final DelegationService service;
    private final Authenticator authenticator;
    private final AdminSettings settings;

    private AdminEndpoints(DelegationService service, Authenticator authenticator) {
        this.service = service;
        this.authenticator = authenticator;
        this.settings = service.config().admin();
    }

    /** Returns the admin endpoints of the configuration's {@code admin} section, or none when it is off. */
    public static List<Endpoint> of(DelegationService service, Authenticator authenticator) {
        if (service.config().admin() == null) {
            return List.of();
        }
        AdminEndpoints admin = new AdminEndpoints(service, authenticator);
        return List.of(
                Endpoint.of(admin.settings.explainPath(), List.of("GET", "POST"),
                        "use GET to explain your own role, or POST {\"claims\": {...}, \"role\": ...} as an admin", admin::explain),
                Endpoint.of(admin.settings.healthPath(), List.of("GET", "HEAD"), "use GET for the readiness report", admin::health));
    }

    private enum Access { ADMIN, SELF, NONE }

    private void health(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Caller caller = caller(request, response);
        if (caller == null) {
            return;
        }
        if (caller.access != Access.ADMIN) {
            refuse(request, response, caller, "the health report is for admins");
            return;
        }
        HealthReport report = service.health().report();
        write(response, report.ready() ? 200 : 503, "application/json", report.toJson());
    }

    private void explain(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Caller caller = caller(request, response);
        if (caller == null) {
            return;
        }
        Explanation explanation;
        try {
            if ("POST".equals(request.getMethod())) {
                if (caller.access != Access.ADMIN) {
                    refuse(request, response, caller, "explaining another user is for admins");
                    return;
                }
                Map<String, Object> body = body(request);
                if (!(body.get("claims") instanceof Map<?, ?> claims)) {
                    Answers.send(request, response, Problem.badRequest("the body must be {\"claims\": {\"sub\": ...}, \"role\": "
                            + "\"<optional role name or ARN>\"}"));
                    return;
                }
                @SuppressWarnings("unchecked")
                Map<String, Object> given = (Map<String, Object>) claims;
                explanation = service.explainer().explainClaims(given, body.get("role") instanceof String r ? r : null);
            } else {
                if (caller.user == null) {
                    Answers.send(request, response, Problem.invalidToken("no ID token: sign in or send Authorization: Bearer "
                            + "<ID token> to explain your own role"));
                    return;
                }
                if (caller.access == Access.NONE) {
                    refuse(request, response, caller, "explanations are for admins (admin.selfExplain is off)");
                    return;
                }
                explanation = service.explainer().explain(caller.user, request.getParameter("role"));
            }
        } catch (IllegalArgumentException e) {
            Answers.send(request, response, Problem.badRequest(e.getMessage()));
            return;
        }
        String accept = request.getHeader("Accept");
        if ("text".equals(request.getParameter("format")) || accept != null && accept.startsWith("text/plain")) {
            write(response, 200, "text/plain", explanation.toText());
        } else {
            write(response, 200, "application/json", explanation.toJson());
        }
    }

    private record Caller(VerifiedIdentity user, Access access) {
    }

    // The caller and what it may do; null when the answer (a rejected token) has been sent.
    private Caller caller(HttpServletRequest request, HttpServletResponse response) throws IOException {
        VerifiedIdentity user;
        try {
            SignedInUser signedIn = authenticator.authenticate(request, true);
            user = signedIn == null ? null : signedIn.identity();
        } catch (DelegationException e) {
            Answers.send(request, response, e);
            return null;
        }
        if (settings.loopback() && isLoopback(request.getRemoteAddr())) {
            return new Caller(user, Access.ADMIN);
        }
        if (user != null && !settings.roles().isEmpty()) {
            // Quietly: a user who is no admin is not a refusal of a role to report.
            RoleDecision decision = service.decider().rules().explain(user, null).decision();
            if (decision != null && decision.permitted().stream().map(RoleGrant::roleArn).anyMatch(settings.roles()::contains)) {
                return new Caller(user, Access.ADMIN);
            }
        }
        return new Caller(user, user != null && settings.selfExplain() ? Access.SELF : Access.NONE);
    }

    private void refuse(HttpServletRequest request, HttpServletResponse response, Caller caller, String why) throws IOException {
        AUDIT.warn("Admin path refused: path={} subject={} remote={}", LogSafe.of(request.getRequestURI()),
                caller.user == null ? "-" : LogSafe.of(caller.user.subject()), LogSafe.of(request.getRemoteAddr()));
        Answers.send(request, response, Problem.accessDenied(why + "; admins are users granted one of admin.roles"
                + (settings.loopback() ? ", or requests from this host" : "")));
    }

    private static boolean isLoopback(String address) {
        try {
            // An IP literal from the container: no name lookup happens.
            return address != null && InetAddress.getByName(address).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static Map<String, Object> body(HttpServletRequest request) throws IOException {
        if (request.getContentLengthLong() > MAX_BODY_BYTES) {
            throw new IllegalArgumentException("the request body is larger than " + MAX_BODY_BYTES + " bytes");
        }
        byte[] bytes;
        try (InputStream in = request.getInputStream()) {
            bytes = in.readNBytes(MAX_BODY_BYTES + 1);
        }
        if (bytes.length > MAX_BODY_BYTES) {
            throw new IllegalArgumentException("the request body is larger than " + MAX_BODY_BYTES + " bytes");
        }
        try {
            return JSONObjectUtils.parse(new String(bytes, StandardCharsets.UTF_8));
        } catch (ParseException e) {
            throw new IllegalArgumentException("the body is not a JSON object: " + e.getMessage());
        }
    }

    private static void write(HttpServletResponse response, int status, String type, String body) throws IOException {
        response.setStatus(status);
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.setContentType(type + ";charset=UTF-8");
        response.getWriter().write(body);
    }
}
