package io.github.awsdelegation.token.internal;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.JWTClaimsSetVerifier;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The claim checks of OIDC Core §3.1.3.7, one method per rule, in the manner of Eclipse Soteria's
 * {@code TokenClaimsSetVerifier}. It replaces Nimbus's {@code DefaultJWTClaimsVerifier}, which accepts a
 * token when <em>any</em> of its audiences is acceptable and checks neither {@code azp} nor {@code iat}
 * nor {@code nonce}.
 *
 * <p>It runs after the signature has been verified. The JSON types of the claims were checked before
 * (see {@link TokenPrechecks}); here only presence and values are checked. Each failure is a
 * {@link BadJWTException} whose message is the reason alone, without the token.
 */
public final class IdTokenClaimsVerifier implements JWTClaimsSetVerifier<ValidationContext> {

    /** OIDC Back-Channel Logout 1.0 §2.4: the event a logout token's {@code events} claim names. */
    static final String BACKCHANNEL_LOGOUT_EVENT = "http://schemas.openid.net/event/backchannel-logout";
    /** Claims that only access tokens carry; see {@link #verifyTokenType}. */
    private static final List<String> ACCESS_TOKEN_CLAIMS = List.of("scope", "scp", "client_id", "cid", "gty",
            "appidacr", "azpacr");

    private final String issuer;
    private final String clientId;
    private final Set<String> trustedAudiences;
    private final Duration clockSkew;
    private final Duration maxTokenAge;

    /**
     * Creates the verifier.
     *
     * @param issuer           the configured issuer, compared as a string
     * @param clientId         this relying party's client id
     * @param trustedAudiences audiences besides the client id that a token may also name
     * @param clockSkew        the tolerance for {@code exp}, {@code nbf} and {@code iat}
     * @param maxTokenAge      how long after {@code iat} a token is still accepted
     */
    public IdTokenClaimsVerifier(String issuer, String clientId, Set<String> trustedAudiences,
                                 Duration clockSkew, Duration maxTokenAge) {
        this.issuer = Objects.requireNonNull(issuer, "issuer");
        this.clientId = Objects.requireNonNull(clientId, "clientId");
        this.trustedAudiences = Set.copyOf(trustedAudiences);
        this.clockSkew = Objects.requireNonNull(clockSkew, "clockSkew");
        this.maxTokenAge = Objects.requireNonNull(maxTokenAge, "maxTokenAge");
    }

    @Override
    public void verify(JWTClaimsSet claims, ValidationContext context) throws BadJWTException {
        verifyIssuer(claims);
        verifyTokenType(claims);
        verifySubject(claims);
        verifyAudience(claims);
        verifyAuthorizedParty(claims);
        verifyExpirationTime(claims, context.now());
        verifyNotBefore(claims, context.now());
        verifyIssuedAt(claims, context.now());
        verifyNonce(claims, context.expectedNonce());
    }

    /**
     * OIDC Core §3.1.3.7 rule 2: {@code iss} MUST exactly match the issuer. Exactly means as strings,
     * so {@code https://a.example/} and {@code https://a.example} differ (RFC 8725 §3.8).
     */
    void verifyIssuer(JWTClaimsSet claims) throws BadJWTException {
        String iss = claims.getIssuer();
        if (iss == null) {
            throw new BadJWTException("no iss (issuer) claim");
        }
        if (!issuer.equals(iss)) {
            throw new BadJWTException("issuer " + SafeText.quote(iss) + " is not the configured issuer " + SafeText.quote(issuer));
        }
    }

    /**
     * OIDC Core §2 and §3.1.3.7: the token must be an ID token, not another token its issuer signs with
     * the same keys. An access token, refresh token or logout token whose {@code aud} happens to be the
     * client id (Keycloak with an audience mapper, an API registered under the client's own id) would
     * otherwise pass every other rule, and an access token may have been issued to another client or for
     * a narrower purpose. The header {@code typ} was checked before ({@link TokenPrechecks}: RFC 9068's
     * {@code at+jwt}, Back-Channel Logout's {@code logout+jwt}); these are the claims only other tokens
     * carry, provider by provider:
     * <ul>
     * <li>Keycloak: {@code typ} is {@code ID} in ID tokens; {@code Bearer} (access), {@code Refresh},
     *     {@code Offline} (offline refresh), {@code Logout} and anything else are refused;</li>
     * <li>Amazon Cognito: {@code token_use} is {@code id} in ID tokens, {@code access} in access tokens;</li>
     * <li>OIDC Back-Channel Logout 1.0 §2.4, RFC 8417: logout and other security event tokens carry
     *     {@code events};</li>
     * <li>access tokens carry their scopes and client: {@code scope} (RFC 9068 §2.2.3, Auth0, Keycloak,
     *     Cognito), {@code scp} (Okta, Entra ID), {@code client_id} (RFC 9068 §2.2, Cognito), {@code cid}
     *     (Okta), {@code gty} (Auth0's grant type), {@code appidacr}/{@code azpacr} (Entra ID v1/v2),
     *     {@code idtyp: app} (Entra ID app-only tokens), or an audience ending in {@code /userinfo} (Auth0).</li>
     * </ul>
     * No ID token of these providers carries any of them. Each is a map lookup on claims already parsed.
     */
    void verifyTokenType(JWTClaimsSet claims) throws BadJWTException {
        String otherToken = otherTokenType(claims);
        if (otherToken != null) {
            throw new BadJWTException("this is " + otherToken + ", not an ID token; send the ID token");
        }
    }

    /** The kind of token and the claim that tells it, or {@code null} when nothing says it is not an ID token. */
    private static String otherTokenType(JWTClaimsSet claims) {
        Object typ = claims.getClaim("typ");
        if (typ != null && !"ID".equals(typ)) {
            return switch (String.valueOf(typ)) {
                case "Bearer" -> "an access token (claim typ \"Bearer\")";
                case "Refresh", "Offline" -> "a refresh token (claim typ " + SafeText.quote(typ) + ")";
                case "Logout" -> "a logout token (claim typ \"Logout\")";
                default -> "a token of type " + SafeText.quote(typ) + " (claim typ; an ID token has \"ID\" or none)";
            };
        }
        Object tokenUse = claims.getClaim("token_use");
        if (tokenUse != null && !"id".equals(tokenUse)) {
            return "access".equals(tokenUse) ? "an access token (claim token_use \"access\")"
                    : "a token of type " + SafeText.quote(tokenUse) + " (claim token_use; an ID token has \"id\")";
        }
        Object events = claims.getClaim("events");
        if (events != null) {
            return events instanceof Map<?, ?> map && map.containsKey(BACKCHANNEL_LOGOUT_EVENT)
                    ? "a logout token (claim events with the back-channel logout event)"
                    : "a security event token (claim events)";
        }
        for (String claim : ACCESS_TOKEN_CLAIMS) {
            if (claims.getClaim(claim) != null) {
                return "an access token (claim " + claim + ")";
            }
        }
        if ("app".equals(claims.getClaim("idtyp"))) {
            return "an access token (claim idtyp \"app\": an app-only token)";
        }
        for (String audience : claims.getAudience()) {
            if (audience.endsWith("/userinfo")) {
                return "an access token (audience " + SafeText.quote(audience) + ", the userinfo endpoint)";
            }
        }
        return null;
    }

    /**
     * OIDC Core §2: {@code sub} is REQUIRED and identifies the user; a blank one would make every role
     * rule and every CloudTrail entry meaningless.
     */
    void verifySubject(JWTClaimsSet claims) throws BadJWTException {
        String sub = claims.getSubject();
        if (sub == null) {
            throw new BadJWTException("no sub (subject) claim");
        }
        if (sub.isBlank()) {
            throw new BadJWTException("sub (subject) is blank");
        }
    }

    /**
     * OIDC Core §3.1.3.7 rule 3: {@code aud} MUST contain the client id, and the token MUST be rejected
     * when it names an audience that is not trusted (RFC 8725 §3.9). Every audience is checked, not just one.
     */
    void verifyAudience(JWTClaimsSet claims) throws BadJWTException {
        List<String> audiences = claims.getAudience();
        if (audiences.isEmpty()) {
            throw new BadJWTException("no aud (audience) claim");
        }
        if (!audiences.contains(clientId)) {
            throw new BadJWTException("audience " + SafeText.quoteAll(audiences)
                    + " does not contain the client id " + SafeText.quote(clientId));
        }
        for (String audience : audiences) {
            if (!audience.equals(clientId) && !trustedAudiences.contains(audience)) {
                throw new BadJWTException("audience " + SafeText.quoteAll(audiences) + " contains " + SafeText.quote(audience)
                        + ", which is neither the client id nor a trusted audience");
            }
        }
    }

    /**
     * OIDC Core §3.1.3.7 rules 4 and 5: with several audiences, {@code azp} must be present; when present,
     * it must be the client id. The spec says SHOULD; we make it a MUST, since a token issued to another
     * party that merely lists us is not a sign-in to us.
     */
    void verifyAuthorizedParty(JWTClaimsSet claims) throws BadJWTException {
        List<String> audiences = claims.getAudience();
        Object azp = claims.getClaim("azp");
        if (azp == null) {
            if (audiences.size() > 1) {
                throw new BadJWTException("several audiences " + SafeText.quoteAll(audiences)
                        + " and no azp (authorized party) claim");
            }
            return;
        }
        if (!clientId.equals(azp)) {
            throw new BadJWTException("azp (authorized party) " + SafeText.quote(azp)
                    + " is not the client id " + SafeText.quote(clientId));
        }
    }

    /**
     * OIDC Core §3.1.3.7 rule 9: the current time MUST be before {@code exp}, give or take the clock skew.
     * {@code exp} is REQUIRED (OIDC Core §2).
     */
    void verifyExpirationTime(JWTClaimsSet claims, Instant now) throws BadJWTException {
        Date exp = claims.getExpirationTime();
        if (exp == null) {
            throw new BadJWTException("no exp (expiration time) claim");
        }
        if (!now.isBefore(exp.toInstant().plus(clockSkew))) {
            throw new BadJWTException("expired at " + exp.toInstant() + "; it is " + now + " (clock skew " + seconds(clockSkew) + ")");
        }
    }

    /** RFC 7519 §4.1.5: when {@code nbf} is present, the token is not accepted before it. */
    void verifyNotBefore(JWTClaimsSet claims, Instant now) throws BadJWTException {
        Date nbf = claims.getNotBeforeTime();
        if (nbf != null && now.plus(clockSkew).isBefore(nbf.toInstant())) {
            throw new BadJWTException("not valid before (nbf) " + nbf.toInstant() + "; it is " + now
                    + " (clock skew " + seconds(clockSkew) + ")");
        }
    }

    /**
     * OIDC Core §3.1.3.7 rule 10: {@code iat} (REQUIRED) may be used to reject tokens issued too far
     * away from the current time: not in the future beyond the clock skew, not longer ago than the
     * maximum token age.
     */
    void verifyIssuedAt(JWTClaimsSet claims, Instant now) throws BadJWTException {
        Date iat = claims.getIssueTime();
        if (iat == null) {
            throw new BadJWTException("no iat (issued at) claim");
        }
        Instant issuedAt = iat.toInstant();
        if (issuedAt.isAfter(now.plus(clockSkew))) {
            throw new BadJWTException("issued at (iat) " + issuedAt + ", in the future; it is " + now
                    + " (clock skew " + seconds(clockSkew) + ")");
        }
        if (issuedAt.isBefore(now.minus(maxTokenAge))) {
            throw new BadJWTException("issued at (iat) " + issuedAt + ", more than " + seconds(maxTokenAge)
                    + " (the maximum token age) before " + now);
        }
    }

    /**
     * OIDC Core §3.1.3.7 rule 11: when a nonce was sent in the authentication request, the token's
     * {@code nonce} must be present and equal to it. A token with a nonce when none was sent is
     * accepted: the nonce is the client's business then. The values are never put in a message.
     */
    void verifyNonce(JWTClaimsSet claims, String expectedNonce) throws BadJWTException {
        if (expectedNonce == null) {
            return;
        }
        Object nonce = claims.getClaim("nonce");
        if (nonce == null) {
            throw new BadJWTException("no nonce claim, but a nonce was expected");
        }
        // Constant time, as for any value that binds a token to a session.
        if (!MessageDigest.isEqual(expectedNonce.getBytes(StandardCharsets.UTF_8),
                String.valueOf(nonce).getBytes(StandardCharsets.UTF_8))) {
            throw new BadJWTException("nonce does not match the expected nonce");
        }
    }

    private static String seconds(Duration duration) {
        return duration.toSeconds() + " s";
    }
}
