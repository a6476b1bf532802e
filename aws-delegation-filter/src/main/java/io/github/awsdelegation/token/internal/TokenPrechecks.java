package io.github.awsdelegation.token.internal;

import static io.github.awsdelegation.token.internal.Rejections.rejected;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.SignedJWT;
import io.github.awsdelegation.token.TokenRejectedException;
import java.text.ParseException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The checks made on a token before any key is fetched or any signature computed: its size and shape,
 * the JOSE header (RFC 8725 §3.1, §3.10, §3.11) and the JSON types of the registered claims. They are
 * cheap, they give precise messages, and they keep Nimbus from being lenient where an ID token must not
 * be: Nimbus would take a numeric {@code sub} as a string, and {@code DefaultJWTProcessor} would let the
 * JWS verifier, not us, decide about {@code crit}.
 *
 * <p>Parse failures are reported with fixed messages, never with the parser's, which could echo input.
 */
public final class TokenPrechecks {

    /** The longest token accepted: STS's limit for {@code WebIdentityToken} (AssumeRoleWithWebIdentity). */
    public static final int MAX_TOKEN_LENGTH = 20_000;

    /**
     * Header parameters that name or carry a key. A token must never choose the key it is verified with
     * (RFC 8725 §3.10: {@code jku}/{@code x5u} make the server fetch an attacker's URL; an embedded
     * {@code jwk} or {@code x5c} is the attacker's own key), so tokens carrying them are refused rather
     * than the parameters ignored: no honest OpenID Provider sends them in ID tokens.
     */
    static final List<String> KEY_CARRYING_HEADER_PARAMETERS = List.of("jku", "x5u", "jwk", "x5c");

    private static final List<String> NUMERIC_DATE_CLAIMS = List.of("exp", "nbf", "iat");
    private static final List<String> STRING_CLAIMS = List.of("iss", "sub", "azp", "nonce");
    /** 9999-12-31T23:59:59Z: later NumericDates are garbage and would overflow {@code java.util.Date}. */
    private static final double MAX_NUMERIC_DATE = 253_402_300_799d;

    private TokenPrechecks() {
    }

    /**
     * A token that passed the prechecks.
     *
     * @param jwt    the parsed token, signature not yet verified
     * @param claims the claims as parsed JSON, not yet trusted
     */
    public record Inspected(SignedJWT jwt, Map<String, Object> claims) {

        @Override
        public String toString() {
            return "Inspected[alg=" + jwt.getHeader().getAlgorithm() + ", kid=" + SafeText.quote(jwt.getHeader().getKeyID()) + "]";
        }
    }

    /**
     * Checks the size and the compact-serialization shape only; the cache looks a token up after this.
     *
     * @throws TokenRejectedException when the token is missing, too long, a JWE, or not three base64url parts
     */
    public static void checkShape(String token) {
        if (token == null || token.isEmpty()) {
            throw rejected("no ID token");
        }
        if (token.length() > MAX_TOKEN_LENGTH) {
            throw rejected("longer than " + MAX_TOKEN_LENGTH + " characters, the STS limit for web identity tokens");
        }
        int dots = 0;
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if (c == '.') {
                dots++;
            } else if (!isBase64UrlChar(c)) {
                throw rejected("not a compact JWS: character at position " + i + " is not base64url");
            }
        }
        if (dots == 4) {
            throw rejected("encrypted (JWE) ID tokens are not accepted; configure the provider to sign, not encrypt, them");
        }
        if (dots != 2) {
            throw rejected("not a compact JWS: expected three base64url parts separated by dots, found " + (dots + 1));
        }
        if (token.startsWith(".") || token.contains("..")) {
            throw rejected("not a compact JWS: empty header or claims part");
        }
    }

    /**
     * Checks the header and the claim types, and parses the token. Call {@link #checkShape} first.
     *
     * @param token      the token, of a valid shape
     * @param algorithms the allowed JWS algorithms
     * @throws TokenRejectedException naming the first check that fails
     */
    public static Inspected inspect(String token, Set<JWSAlgorithm> algorithms) {
        checkHeader(token, algorithms);
        int firstDot = token.indexOf('.');
        int secondDot = token.indexOf('.', firstDot + 1);
        Map<String, Object> claims = parseJsonObject(token.substring(firstDot + 1, secondDot), "claims");
        checkClaimTypes(claims);
        try {
            return new Inspected(SignedJWT.parse(token), claims);
        } catch (ParseException | RuntimeException e) {
            // The parser's message may quote the input: do not pass it on.
            throw rejected("not a valid JWS");
        }
    }

    /**
     * Checks the JOSE header of a token of valid shape (RFC 8725 §3.1, §3.10) and that it has a signature.
     * Call {@link #checkShape} first.
     *
     * @throws TokenRejectedException naming the first check that fails
     */
    public static void checkHeader(String token, Set<JWSAlgorithm> algorithms) {
        int firstDot = token.indexOf('.');
        int secondDot = token.indexOf('.', firstDot + 1);
        checkHeader(parseJsonObject(token.substring(0, firstDot), "header"), algorithms);
        if (secondDot == token.length() - 1) {
            throw rejected("no signature");
        }
    }

    private static void checkHeader(Map<String, Object> header, Set<JWSAlgorithm> algorithms) {
        if (!(header.get("alg") instanceof String alg) || alg.isEmpty()) {
            throw rejected("header has no alg (algorithm)");
        }
        // RFC 8725 §3.1: "none" in any spelling, since some libraries compared it case-insensitively.
        if ("none".equalsIgnoreCase(alg)) {
            throw rejected("unsecured (alg none) tokens are not accepted");
        }
        if (header.containsKey("enc")) {
            throw rejected("encrypted (JWE) ID tokens are not accepted; configure the provider to sign, not encrypt, them");
        }
        if (!algorithms.contains(JWSAlgorithm.parse(alg))) {
            throw rejected("algorithm " + SafeText.quote(alg) + " is not allowed; allowed: " + algorithms);
        }
        checkHeaderType(header.get("typ"));
        for (String parameter : KEY_CARRYING_HEADER_PARAMETERS) {
            if (header.containsKey(parameter)) {
                throw rejected("header parameter " + parameter
                        + " is not accepted: keys come only from the issuer's JWKS");
            }
        }
        if (header.containsKey("crit")) {
            throw rejected("header parameter crit is not accepted: no extension is understood");
        }
        // RFC 7797's unencoded payload would have Nimbus read other bytes as claims than we checked here.
        if (header.containsKey("b64")) {
            throw rejected("header parameter b64 is not accepted: the claims must be base64url-encoded");
        }
        Object kid = header.get("kid");
        if (kid != null && !(kid instanceof String)) {
            throw rejected("header kid is not a string");
        }
    }

    /**
     * RFC 8725 §3.11: the header {@code typ}, when present, must be {@code JWT}. RFC 9068 access tokens say
     * {@code at+jwt} and OIDC Back-Channel Logout tokens {@code logout+jwt}; these get their own reason,
     * since sending one for the other is a common mistake. They are recognised with or without
     * {@code application/} and in any case (RFC 7515 §4.1.9); {@code JWT} itself only without the prefix,
     * as Nimbus's type verifier accepts it.
     */
    private static void checkHeaderType(Object typ) {
        if (typ == null) {
            return;
        }
        String type = typ instanceof String t ? t.toLowerCase(Locale.ROOT) : "";
        if (type.equals("jwt")) {
            return;
        }
        switch (type.startsWith("application/") ? type.substring("application/".length()) : type) {
            case "at+jwt" -> throw rejected("this is an access token (header typ " + SafeText.quote(typ)
                    + ", RFC 9068), not an ID token; send the ID token");
            case "logout+jwt" -> throw rejected("this is a logout token (header typ " + SafeText.quote(typ)
                    + ", OIDC Back-Channel Logout), not an ID token; send the ID token");
            default -> throw rejected("header typ " + SafeText.quote(typ) + " is not JWT, so this is not an ID token");
        }
    }

    private static void checkClaimTypes(Map<String, Object> claims) {
        for (String name : NUMERIC_DATE_CLAIMS) {
            Object value = claims.get(name);
            if (value == null) {
                continue; // presence is the claims verifier's business
            }
            if (!(value instanceof Number number)) {
                throw rejected("claim " + name + " is not a JSON number (NumericDate)");
            }
            double seconds = number.doubleValue();
            if (!(seconds >= 0 && seconds <= MAX_NUMERIC_DATE)) {
                throw rejected("claim " + name + " is out of range");
            }
        }
        for (String name : STRING_CLAIMS) {
            Object value = claims.get(name);
            if (value != null && !(value instanceof String)) {
                throw rejected("claim " + name + " is not a string");
            }
        }
        Object aud = claims.get("aud");
        if (aud != null && !(aud instanceof String)
                && !(aud instanceof List<?> list && list.stream().allMatch(String.class::isInstance))) {
            throw rejected("claim aud is not a string or an array of strings");
        }
    }

    private static Map<String, Object> parseJsonObject(String part, String what) {
        Map<String, Object> parsed;
        try {
            parsed = JSONObjectUtils.parse(new Base64URL(part).decodeToString());
        } catch (ParseException | RuntimeException e) {
            parsed = null;
        }
        if (parsed == null) {
            throw rejected(what + " is not a base64url-encoded JSON object");
        }
        return parsed;
    }

    // A table: this check runs over every character of every token before the cache lookup.
    private static final boolean[] BASE64URL = new boolean[128];

    static {
        for (char c = 'A'; c <= 'Z'; c++) {
            BASE64URL[c] = true;
            BASE64URL[Character.toLowerCase(c)] = true;
        }
        for (char c = '0'; c <= '9'; c++) {
            BASE64URL[c] = true;
        }
        BASE64URL['-'] = true;
        BASE64URL['_'] = true;
    }

    private static boolean isBase64UrlChar(char c) {
        return c < 128 && BASE64URL[c];
    }
}
