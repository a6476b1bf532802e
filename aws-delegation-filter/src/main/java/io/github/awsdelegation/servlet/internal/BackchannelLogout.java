package io.github.awsdelegation.servlet.internal;

import io.github.awsdelegation.DelegationService;
import io.github.awsdelegation.TemporarilyUnavailableException;
import io.github.awsdelegation.internal.LogSafe;
import io.github.awsdelegation.token.LogoutToken;
import io.github.awsdelegation.token.TokenRejectedException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The provider's back-channel logout, {@code login.backchannelLogoutPath} (OpenID Connect Back-Channel Logout 1.0
 * §2.5): a POST of {@code application/x-www-form-urlencoded} {@code logout_token}, validated
 * ({@link io.github.awsdelegation.token.IdTokenValidator#validateLogoutToken}); the sessions it names end and the
 * user's cached credentials are dropped ({@link DelegationService#logout}). Answers 200 with an empty body, or 400
 * {@code {"error":"invalid_request","error_description":...}} (§2.8), always with {@code Cache-Control: no-store}; 503
 * with {@code Retry-After} when the provider's keys cannot be fetched, or the cluster's store cannot record the logout
 * or check the token's {@code jti}, so that the provider may retry.
 *
 * <p>Exempt from the cross-site check ({@link CrossSiteRequests}) by design: the provider calls it server to server,
 * without the browser's cookies, so there is no ambient authority to forge; what authorises the call is the logout
 * token's signature by the provider, checked with the provider's keys.
 */
final class BackchannelLogout implements Endpoint {

    private static final Logger LOG = LoggerFactory.getLogger(BackchannelLogout.class);

    private final DelegationService service;
    private final String path;

    BackchannelLogout(DelegationService service, String path) {
        this.service = service;
        this.path = path;
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public List<String> methods() {
        return List.of("POST");
    }

    @Override
    public String usage() {
        return "the provider sends logout tokens here with a POST (OpenID Connect Back-Channel Logout 1.0)";
    }

    @Override
    public ProblemFormat problemFormat() {
        return ProblemFormat.OAUTH_JSON;
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String contentType = request.getContentType();
        if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
            Answers.send(request, response, Problem.badRequest("send the logout_token as application/x-www-form-urlencoded"),
                    ProblemFormat.OAUTH_JSON);
            return;
        }
        String[] tokens = request.getParameterValues("logout_token");
        if (tokens == null || tokens.length != 1) {
            Answers.send(request, response, Problem.badRequest("send exactly one logout_token parameter"), ProblemFormat.OAUTH_JSON);
            return;
        }
        LogoutToken logout;
        try {
            logout = service.validator().validateLogoutToken(tokens[0]);
            service.logout(logout);
        } catch (TokenRejectedException e) {
            LOG.info("Back-channel logout refused: {}", LogSafe.of(e.getMessage()));
            Answers.send(request, response, Problem.badRequest(e.getMessage()), ProblemFormat.OAUTH_JSON);
            return;
        } catch (TemporarilyUnavailableException e) {
            // The provider's keys, or the cluster's store (the logout could not be shared, or the jti checked): the
            // provider may send the token again.
            LOG.warn("Back-channel logout not carried out, answered 503: {}", LogSafe.of(e.getMessage()));
            Answers.send(request, response, e, ProblemFormat.OAUTH_JSON);
            return;
        }
        LOG.info("Back-channel logout: subject={} sid={}", LogSafe.of(logout.subject()), LogSafe.of(logout.sessionId()));
        response.setStatus(HttpServletResponse.SC_OK);
        response.setHeader("Cache-Control", "no-store");
        response.setContentLength(0);
    }
}
