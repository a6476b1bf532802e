package io.github.awsdelegation.servlet.internal;

import io.github.awsdelegation.DelegationService;
import io.github.awsdelegation.config.DelegationConfig;
import io.github.awsdelegation.internal.LogSafe;
import io.github.awsdelegation.internal.SessionRevocations;
import io.github.awsdelegation.token.IdTokenValidator;
import io.github.awsdelegation.token.TokenRejectedException;
import io.github.awsdelegation.token.VerifiedIdentity;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first stage of a request: which user it comes from. A request presents a bearer token
 * ({@code Authorization: Bearer}, when {@code request.bearer} allows it and the caller accepts one), the built-in
 * login's session ({@link RelyingPartySession}), or an ID token the app put in the HTTP session
 * ({@code request.sessionAttribute}); {@link #find} says which without checking it, {@link #verify} checks it.
 *
 * <p>Tokens are validated on every request. The built-in login's session was verified at sign-in and lasts
 * {@code login.idleTimeout} / {@code login.maxAge}; after the container restored it from its serialized form, its ID
 * token is validated again (or renewed with the refresh token when it expired meanwhile), and it must name the same
 * user. A session that cannot continue is invalidated and reported as {@link SessionEndedException}.
 *
 * <p>Used by the filter and by every endpoint that needs a user, so that all of them accept the same credentials.
 */
public final class Authenticator {

    /** An ID token sent to STS must stay valid at least this long, or it is renewed first: 60 seconds. */
    public static final Duration STS_TOKEN_MINIMUM_VALIDITY = Duration.ofSeconds(60);

    private static final Logger LOG = LoggerFactory.getLogger(Authenticator.class);

    private static final Function<String, TokenRejectedException> TOKEN_REVOKED =
            reason -> new TokenRejectedException("ID token rejected: " + reason);

    private final DelegationService service;
    private final IdTokenValidator validator;
    private final DelegationConfig config;
    private final RelyingPartySession.TokenRefresher refresher;
    private final Clock clock;
    // Opens the tokens of a restored session sealed under login.encryptionKey; null without one.
    private final LoginKeys.TokenSealer sealer;

    /**
     * Creates the stage.
     *
     * @param refresher renews the built-in login's ID tokens, or {@code null} when the login is off (its sessions are
     *                  then not accepted)
     */
    public Authenticator(DelegationService service, RelyingPartySession.TokenRefresher refresher, Clock clock) {
        this.service = service;
        this.validator = service.validator();
        this.config = service.config();
        this.refresher = refresher;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.sealer = config.login() == null ? null : LoginKeys.sessionSealer(config.login());
    }

    /** What a request presents, not checked yet. {@link #toString()} never shows the token. */
    public record Presented(SignedInUser.Source source, String token, HttpSession session, RelyingPartySession signedIn) {

        /** Tells whether the browser's session cookie authenticates the request, so that it must come from this app. */
        public boolean viaCookie() {
            return source != SignedInUser.Source.BEARER;
        }

        @Override
        public String toString() {
            return "Presented[" + source + "]";
        }
    }

    /**
     * Returns what the request presents, or {@code null} when it presents nothing: a bearer token first (when
     * {@code acceptBearer} and {@code request.bearer}), then the built-in login's session, then the app's session token.
     */
    public Presented find(HttpServletRequest request, boolean acceptBearer) {
        String bearer = acceptBearer ? bearerToken(request) : null;
        if (bearer != null) {
            return new Presented(SignedInUser.Source.BEARER, bearer, null, null);
        }
        HttpSession session = request.getSession(false);
        if (session == null) {
            return null;
        }
        try {
            if (refresher != null && session.getAttribute(RelyingPartySession.ATTRIBUTE) instanceof RelyingPartySession rp) {
                return new Presented(SignedInUser.Source.LOGIN_SESSION, null, session, rp);
            }
            if (session.getAttribute(config.request().sessionAttribute()) instanceof String token) {
                return new Presented(SignedInUser.Source.APP_SESSION, token, session, null);
            }
        } catch (IllegalStateException invalidated) {
            // Invalidated meanwhile: nothing presented.
        }
        return null;
    }

    /**
     * Checks what the request presented and returns the user.
     *
     * @throws SessionEndedException  when the built-in login's session cannot continue; it is invalidated
     * @throws TokenRejectedException when a token fails a check
     * @throws io.github.awsdelegation.token.IssuerUnavailableException when the provider's keys cannot be had
     */
    public SignedInUser verify(Presented presented) {
        SessionRevocations revocations = service.revocations();
        if (presented.signedIn() == null) {
            VerifiedIdentity identity = validator.validate(presented.token());
            // The one revocation check of the request: the later stages take the proof (SignedInUser.cleared).
            SessionRevocations.Cleared cleared = revocations.clear(identity, null, null, TOKEN_REVOKED);
            String token = presented.token();
            return new SignedInUser(identity, presented.source(), () -> token, null, presented.session(), null, cleared);
        }
        RelyingPartySession signedIn = presented.signedIn();
        Instant now = clock.instant();
        try {
            String ended = signedIn.endReason(now, config.login());
            if (ended != null) {
                throw new SessionEndedException(ended);
            }
            VerifiedIdentity identity = signedIn.identity();
            if (identity == null) {
                // Restored from its serialized form: the sign-in is checked before its ID token is validated or renewed.
                ended = revocations.revoked(signedIn.issuer(), signedIn.subject(), signedIn.sessionId(), signedIn.signedInAt());
                if (ended != null) {
                    signedIn.end(ended);
                    throw new SessionEndedException(ended);
                }
                identity = restore(signedIn, now);
            }
            // Back-channel logout or an administrator's eviction, possibly received by another node's filter before
            // this session was replicated here: checked on every request, not by finding the session; the sign-in and
            // its ID token in one check.
            SessionRevocations.Cleared cleared;
            try {
                cleared = revocations.clear(identity, signedIn.sessionId(), signedIn.signedInAt(), SessionEndedException::new);
            } catch (SessionEndedException revoked) {
                signedIn.end(revoked.getMessage());
                throw revoked;
            }
            signedIn.touch(now);
            return new SignedInUser(identity, presented.source(),
                    () -> signedIn.freshIdToken(refresher, clock.instant(), STS_TOKEN_MINIMUM_VALIDITY),
                    signedIn.endsAt(now, config.login()), presented.session(), signedIn, cleared);
        } catch (SessionEndedException e) {
            LOG.info("Sign-in session of subject={} ended: {}", LogSafe.of(signedIn.subject()), e.getMessage());
            SignedInUser.end(presented.session());
            throw e;
        }
    }

    /**
     * Verifies an ID token the client sent in the request body rather than a header (the Auth0-compatible
     * {@code /delegation}'s {@code id_token}), as a bearer token is verified.
     *
     * @throws TokenRejectedException when the token fails a check
     */
    public SignedInUser verifyToken(String idToken) {
        return verify(new Presented(SignedInUser.Source.BEARER, idToken, null, null));
    }

    /**
     * Returns the request's user, or {@code null} when it presents nothing.
     *
     * @see #find
     * @see #verify
     */
    public SignedInUser authenticate(HttpServletRequest request, boolean acceptBearer) {
        Presented presented = find(request, acceptBearer);
        return presented == null ? null : verify(presented);
    }

    /**
     * Keeps the session in step with a request that got credentials: the app's session token binds the eviction of
     * the user's credentials to the session; the built-in login's session is set again when its tokens were renewed,
     * for containers that replicate sessions on {@code setAttribute}.
     */
    public void delegated(SignedInUser user) {
        if (user.source() == SignedInUser.Source.APP_SESSION) {
            service.revocations().signedIn(user.identity().issuer(), user.identity().claimAsString("sid").orElse(null),
                    user.identity().subject());
            SessionEviction.bind(user.session(), service, user.identity());
        } else if (user.signedIn() != null && user.signedIn().changedSincePublished()) {
            try {
                user.session().setAttribute(RelyingPartySession.ATTRIBUTE, user.signedIn());
            } catch (IllegalStateException invalidated) {
                // Signed out meanwhile.
            }
        }
    }

    /**
     * Ends the built-in login's session of a user whose ID token could not be renewed while the request ran.
     */
    public void ended(SignedInUser user, SessionEndedException e) {
        LOG.info("Sign-in session of subject={} ended: {}", LogSafe.of(user.identity().subject()), e.getMessage());
        SignedInUser.end(user.session());
    }

    // After the container restored a persisted session: the identity is validated again from the stored ID token,
    // or from a refreshed one when it has expired meanwhile.
    private VerifiedIdentity restore(RelyingPartySession signedIn, Instant now) {
        if (!signedIn.unseal(sealer)) {
            throw new SessionEndedException("the restored session's tokens were sealed with a login.encryptionKey this node"
                    + " does not have (give every node the same key); sign in again");
        }
        VerifiedIdentity identity;
        try {
            identity = validator.validate(signedIn.idToken(), null);
        } catch (TokenRejectedException rejected) {
            signedIn.freshIdToken(refresher, now, STS_TOKEN_MINIMUM_VALIDITY);
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

    /** The bearer token of {@code Authorization: Bearer} (RFC 6750 §2.1), when {@code request.bearer} allows one. */
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
}
