package io.github.awsdelegation.token.internal;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.BadJWSException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import com.nimbusds.jwt.proc.JWTClaimsSetVerifier;
import io.github.awsdelegation.token.LogoutToken;
import io.github.awsdelegation.token.TokenRejectedException;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Validates logout tokens, OpenID Connect Back-Channel Logout 1.0 §2.6, one method per rule: the signature with the
 * issuer's keys and the algorithms allowed for ID tokens (rule 3), {@code iss}, {@code aud} and {@code iat} as for
 * an ID token (rule 4, with a short maximum age: a logout token is used at once), {@code events} with the
 * back-channel logout event (rule 5), {@code sub} and/or {@code sid} (rule 6), no {@code nonce} (rule 7, so that an
 * ID token can never pass as a logout token), and a {@code jti} (rule 8). Header {@code typ}, when present, must be
 * {@code logout+jwt} or {@code JWT} (§2.4). Thread-safe.
 *
 * <p>That the {@code jti} was never used before (rule 8) is checked where the logout is carried out,
 * {@link io.github.awsdelegation.DelegationService#logout}, in the revocation store ({@code cache.store}): with a
 * clustered store, a token replayed at any node is refused, and a token whose first use cannot be recorded is answered
 * 503 (not remembered here, so that the provider's retry is not taken for a replay).
 */
public final class LogoutTokenVerifier {

    /** OIDC Back-Channel Logout 1.0 §2.4: the member of {@code events} that makes a logout token. */
    public static final String EVENT = IdTokenClaimsVerifier.BACKCHANNEL_LOGOUT_EVENT;
    /** How long after {@code iat} a logout token is accepted: 5 minutes; the provider sends it when the user signs out. */
    public static final Duration MAX_AGE = Duration.ofMinutes(5);

    private static final String PREFIX = "Logout token rejected: ";
    private static final JOSEObjectType LOGOUT_JWT = new JOSEObjectType("logout+jwt");

    private final String issuer;
    private final String clientId;
    private final Set<String> trustedAudiences;
    private final Set<JWSAlgorithm> algorithms;
    private final Duration clockSkew;
    private final Clock clock;
    private final DefaultJWTProcessor<ValidationContext> processor = new DefaultJWTProcessor<>();

    /**
     * Creates the verifier.
     *
     * @param keys the issuer's keys, shared with the ID token validator
     */
    public LogoutTokenVerifier(String issuer, String clientId, Set<String> trustedAudiences, Set<JWSAlgorithm> algorithms,
            IssuerKeys keys, Duration clockSkew, Clock clock) {
        this.issuer = Objects.requireNonNull(issuer, "issuer");
        this.clientId = Objects.requireNonNull(clientId, "clientId");
        this.trustedAudiences = Set.copyOf(trustedAudiences);
        this.algorithms = Set.copyOf(algorithms);
        this.clockSkew = clockSkew;
        this.clock = clock;
        processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(LOGOUT_JWT, JOSEObjectType.JWT, null));
        processor.setJWSKeySelector(new IssuerKeySelector(algorithms, keys));
        processor.setJWSVerifierFactory(new IdTokenVerifierFactory());
        processor.setJWTClaimsSetVerifier((JWTClaimsSetVerifier<ValidationContext>) this::verifyClaims);
    }

    /**
     * Validates a logout token, but for the single use of its {@code jti} (see the class comment).
     *
     * @throws TokenRejectedException naming the failed rule ("Logout token rejected: ..."), never quoting the token
     * @throws io.github.awsdelegation.token.IssuerUnavailableException when the issuer's keys cannot be had
     */
    public LogoutToken validate(String token) {
        if (token == null || token.isBlank()) {
            throw rejected("no logout_token");
        }
        if (token.length() > TokenPrechecks.MAX_TOKEN_LENGTH) {
            throw rejected("longer than " + TokenPrechecks.MAX_TOKEN_LENGTH + " characters");
        }
        SignedJWT jwt;
        try {
            jwt = SignedJWT.parse(token);
        } catch (ParseException | RuntimeException e) {
            throw rejected("not a signed JWT (JWS compact serialization)"); // the parser's message may quote the input
        }
        verifyHeader(jwt.getHeader());
        JWTClaimsSet claims;
        try {
            claims = processor.process(jwt, new ValidationContext(clock.instant(), null));
        } catch (BadJWSException e) {
            throw rejected("invalid signature");
        } catch (BadJOSEException e) {
            throw rejected(e.getMessage().replace(Rejections.PREFIX, ""));
        } catch (KeyRejectedException e) {
            throw rejected(e.getMessage());
        } catch (JOSEException e) {
            throw rejected("the signature could not be verified: " + e.getMessage());
        }
        // Rule 8's memory is the caller's, after every check here, so that a forged token cannot use up a real one's jti.
        return new LogoutToken(issuer, claims.getSubject(), stringClaim(claims, "sid"), claims.getIssueTime().toInstant(),
                claims.getJWTID());
    }

    /** RFC 8725 §3.1, §3.11; Back-Channel Logout §2.4: allowed algorithm, keys only from the JWKS, typ logout+jwt. */
    void verifyHeader(JWSHeader header) {
        if (header.getAlgorithm() == null || !algorithms.contains(header.getAlgorithm())) {
            throw rejected("algorithm " + SafeText.quote(header.getAlgorithm()) + " is not allowed; allowed: " + algorithms);
        }
        if (header.getJWKURL() != null || header.getJWK() != null || header.getX509CertURL() != null
                || header.getX509CertChain() != null) {
            throw rejected("the header carries a key; keys come only from the issuer's JWKS");
        }
        if (header.getCriticalParams() != null && !header.getCriticalParams().isEmpty()) {
            throw rejected("header parameter crit is not accepted: no extension is understood");
        }
        JOSEObjectType typ = header.getType();
        if (typ != null) {
            String type = typ.getType().toLowerCase(Locale.ROOT).replaceFirst("^application/", "");
            if (!type.equals("logout+jwt") && !type.equals("jwt")) {
                throw rejected("header typ " + SafeText.quote(typ.getType()) + " is not logout+jwt");
            }
        }
    }

    private void verifyClaims(JWTClaimsSet claims, ValidationContext context) throws BadJWTException {
        verifyIssuer(claims);
        verifyAudience(claims);
        verifyIssuedAt(claims, context.now());
        verifyExpirationTime(claims, context.now());
        verifyEvents(claims);
        verifySubjectOrSession(claims);
        verifyNoNonce(claims);
        verifyJwtId(claims);
    }

    /** Rule 4 (OIDC Core §3.1.3.7 rule 2): {@code iss} exactly the configured issuer. */
    void verifyIssuer(JWTClaimsSet claims) throws BadJWTException {
        if (!issuer.equals(claims.getIssuer())) {
            throw new BadJWTException("issuer " + SafeText.quote(claims.getIssuer()) + " is not the configured issuer "
                    + SafeText.quote(issuer));
        }
    }

    /** Rule 4 (OIDC Core §3.1.3.7 rule 3): {@code aud} contains the client id and no untrusted audience. */
    void verifyAudience(JWTClaimsSet claims) throws BadJWTException {
        List<String> audiences = claims.getAudience();
        if (!audiences.contains(clientId)) {
            throw new BadJWTException("audience " + SafeText.quoteAll(audiences) + " does not contain the client id "
                    + SafeText.quote(clientId));
        }
        for (String audience : audiences) {
            if (!audience.equals(clientId) && !trustedAudiences.contains(audience)) {
                throw new BadJWTException("audience " + SafeText.quote(audience) + " is neither the client id nor a trusted audience");
            }
        }
    }

    /** Rule 4 (OIDC Core §3.1.3.7 rule 10): {@code iat} required, not in the future, not older than {@link #MAX_AGE}. */
    void verifyIssuedAt(JWTClaimsSet claims, Instant now) throws BadJWTException {
        Date iat = claims.getIssueTime();
        if (iat == null) {
            throw new BadJWTException("no iat (issued at) claim");
        }
        if (iat.toInstant().isAfter(now.plus(clockSkew))) {
            throw new BadJWTException("issued at (iat) " + iat.toInstant() + ", in the future; it is " + now);
        }
        if (iat.toInstant().isBefore(now.minus(MAX_AGE).minus(clockSkew))) {
            throw new BadJWTException("issued at (iat) " + iat.toInstant() + ", more than " + MAX_AGE.toMinutes()
                    + " minutes before " + now);
        }
    }

    /** RFC 7519 §4.1.4: {@code exp} is optional in a logout token; when present, not passed. */
    void verifyExpirationTime(JWTClaimsSet claims, Instant now) throws BadJWTException {
        Date exp = claims.getExpirationTime();
        if (exp != null && !now.isBefore(exp.toInstant().plus(clockSkew))) {
            throw new BadJWTException("expired at " + exp.toInstant() + "; it is " + now);
        }
    }

    /** Rule 5: {@code events} holds the back-channel logout event, whose value is a JSON object. */
    void verifyEvents(JWTClaimsSet claims) throws BadJWTException {
        Object events = claims.getClaim("events");
        if (!(events instanceof Map<?, ?> map)) {
            throw new BadJWTException("no events claim (a logout token names the back-channel logout event)");
        }
        if (!map.containsKey(EVENT)) {
            throw new BadJWTException("events does not contain " + EVENT);
        }
        if (!(map.get(EVENT) instanceof Map<?, ?>)) {
            throw new BadJWTException("the value of the " + EVENT + " event is not a JSON object");
        }
    }

    /** Rule 6: {@code sub} or {@code sid} (or both), as non-blank strings. */
    void verifySubjectOrSession(JWTClaimsSet claims) throws BadJWTException {
        Object sub = claims.getClaim("sub");
        Object sid = claims.getClaim("sid");
        if (sub != null && !(sub instanceof String s && !s.isBlank())) {
            throw new BadJWTException("sub is not a non-blank string");
        }
        if (sid != null && !(sid instanceof String s && !s.isBlank())) {
            throw new BadJWTException("sid is not a non-blank string");
        }
        if (sub == null && sid == null) {
            throw new BadJWTException("neither sub nor sid: the token names no user and no session");
        }
    }

    /** Rule 7: no {@code nonce}, which keeps an ID token from passing as a logout token. */
    void verifyNoNonce(JWTClaimsSet claims) throws BadJWTException {
        if (claims.getClaim("nonce") != null) {
            throw new BadJWTException("it carries a nonce, so it is not a logout token (Back-Channel Logout §2.4)");
        }
    }

    /** Rule 8 needs a {@code jti}: a logout token without one could be replayed unnoticed. */
    void verifyJwtId(JWTClaimsSet claims) throws BadJWTException {
        Object jti = claims.getClaim("jti");
        if (!(jti instanceof String s) || s.isBlank()) {
            throw new BadJWTException("no jti (JWT ID) claim");
        }
    }

    private static String stringClaim(JWTClaimsSet claims, String name) {
        return claims.getClaim(name) instanceof String s ? s : null;
    }

    private static TokenRejectedException rejected(String reason) {
        return new TokenRejectedException(PREFIX + reason);
    }

    @Override
    public String toString() {
        return "LogoutTokenVerifier[issuer=" + issuer + ", clientId=" + clientId + "]";
    }
}
