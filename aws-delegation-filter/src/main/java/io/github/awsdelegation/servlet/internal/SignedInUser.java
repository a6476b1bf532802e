package io.github.awsdelegation.servlet.internal;

import io.github.awsdelegation.internal.SessionRevocations;
import io.github.awsdelegation.token.VerifiedIdentity;
import jakarta.servlet.http.HttpSession;
import java.time.Instant;
import java.util.function.Supplier;

/**
 * The user a request comes from, as the {@link Authenticator} verified it, with what the later stages need: the
 * identity, an ID token for STS (renewed first when the built-in login's session holds an expiring one), and for the
 * built-in login when its session ends. {@link #toString()} never shows a token.
 *
 * @param identity   the verified user
 * @param source     where the credential came from
 * @param idToken    supplies an ID token of this user, valid for an STS call (asked only when STS needs it)
 * @param sessionEnd when the built-in login's session ends without further requests, else {@code null}
 * @param session    the HTTP session the credential came from, {@code null} for a bearer token
 * @param signedIn   the built-in login's session, else {@code null}
 * @param cleared    the proof that the user passed this request's revocation check, for the later stages
 */
public record SignedInUser(VerifiedIdentity identity, Source source, Supplier<String> idToken, Instant sessionEnd,
                           HttpSession session, RelyingPartySession signedIn, SessionRevocations.Cleared cleared) {

    /** Where a request's credential comes from. */
    public enum Source {
        /**
         * A token the client sends with the request ({@code Authorization: Bearer}, or {@code /delegation}'s
         * {@code id_token}): validated on every request.
         */
        BEARER,
        /** The built-in login's session: verified at sign-in, within {@code login.idleTimeout} and {@code login.maxAge}. */
        LOGIN_SESSION,
        /** An ID token the app put in the HTTP session: validated on every request, as a bearer token is. */
        APP_SESSION
    }

    /** Tells whether the browser's session cookie authenticates the request, so that it must come from this app. */
    public boolean viaCookie() {
        return source != Source.BEARER;
    }

    /** Invalidates a session that cannot continue; its {@link SessionEviction} drops the cached credentials. */
    static void end(HttpSession session) {
        try {
            session.invalidate();
        } catch (IllegalStateException alreadyInvalidated) {
            // Another request ended it meanwhile.
        }
    }

    @Override
    public String toString() {
        return "SignedInUser[" + identity.subject() + ", source=" + source + "]";
    }
}
