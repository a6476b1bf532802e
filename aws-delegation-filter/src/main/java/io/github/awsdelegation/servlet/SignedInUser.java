package io.github.awsdelegation.servlet;

import io.github.awsdelegation.DelegationService;
import io.github.awsdelegation.config.DelegationConfig;
import io.github.awsdelegation.token.VerifiedIdentity;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;

/**
 * The user a request comes from, as the SAML endpoints see it: the ID token from the HTTP session (the built-in
 * login or the app put it there) or, where allowed, from {@code Authorization: Bearer}, validated like the
 * filter validates it.
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
        if (session != null && session.getAttribute(config.request().sessionAttribute()) instanceof String token) {
            String nonce = (String) session.getAttribute(OidcLogin.NONCE_ATTRIBUTE);
            return new SignedInUser(service.validator().validate(token, nonce), token, true);
        }
        return null;
    }

    @Override
    public String toString() {
        return "SignedInUser[" + identity.subject() + ", fromSession=" + fromSession + "]";
    }
}
