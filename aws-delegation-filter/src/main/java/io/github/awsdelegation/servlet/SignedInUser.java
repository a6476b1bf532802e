package io.github.awsdelegation.servlet;

import io.github.awsdelegation.DelegationService;
import io.github.awsdelegation.config.DelegationConfig;
import io.github.awsdelegation.token.VerifiedIdentity;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import java.time.Instant;

/**
 * The user a request comes from, as the SAML endpoints see it: the built-in login's {@link RelyingPartySession}
 * (verified at sign-in, within its idle timeout and maximum age), an ID token the app put in the HTTP session, or,
 * where allowed, one from {@code Authorization: Bearer}; tokens are validated like the filter validates them.
 *
 * @param identity    the verified user
 * @param idToken     the ID token (never printed)
 * @param fromSession whether the token came from the HTTP session (a browser) rather than a bearer header
 */
record SignedInUser(VerifiedIdentity identity, String idToken, boolean fromSession) {

    /**
     * Returns the request's user, or {@code null} when the request carries no token.
     *
     * @param bearer whether a bearer token is accepted (API endpoints) or only the session (browser endpoints)
     * @throws io.github.awsdelegation.token.TokenRejectedException when the token fails a check
     */
    static SignedInUser of(DelegationService service, HttpServletRequest request, boolean bearer) {
        DelegationConfig config = service.config();
        if (bearer && config.request().bearer()) {
            String header = request.getHeader("Authorization");
            if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) && !header.substring(7).isBlank()) {
                String token = header.substring(7).trim();
                return new SignedInUser(service.validator().validate(token), token, false);
            }
        }
        HttpSession session = request.getSession(false);
        if (session != null && config.login() != null
                && session.getAttribute(RelyingPartySession.ATTRIBUTE) instanceof RelyingPartySession signedIn) {
            // The built-in login's session: its own lifetime applies, not the ID token's (SAML needs no fresh token).
            String ended = signedIn.endReason(Instant.now(), config.login());
            if (ended != null) {
                throw new SessionEndedException(ended);
            }
            VerifiedIdentity identity = signedIn.identity();
            if (identity == null) {
                identity = service.validator().validate(signedIn.idToken());
                signedIn.restored(identity);
            }
            signedIn.touch(Instant.now());
            return new SignedInUser(identity, signedIn.idToken(), true);
        }
        if (session != null && session.getAttribute(config.request().sessionAttribute()) instanceof String token) {
            return new SignedInUser(service.validator().validate(token), token, true);
        }
        return null;
    }

    @Override
    public String toString() {
        return "SignedInUser[" + identity.subject() + ", fromSession=" + fromSession + "]";
    }
}
