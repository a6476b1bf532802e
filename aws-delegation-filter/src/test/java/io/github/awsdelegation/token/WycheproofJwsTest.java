package io.github.awsdelegation.token;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.util.JSONObjectUtils;
import io.github.awsdelegation.token.internal.IssuerKeys;
import io.github.awsdelegation.token.internal.JwsSignatureCheck;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Wycheproof's JSON Web Signature vectors (src/test/resources/wycheproof) through the module's own JWS
 * verification layer: the prechecks, the key selector and the verifier factory of {@link IdTokenValidator},
 * with every asymmetric algorithm the module supports allowed and each group's key as the issuer's JWKS.
 *
 * <p>Every invalid vector must be rejected; every valid vector must be accepted, except three documented
 * deviations, each by design (docs/security.md): the 10 valid HS256 vectors, because the module never
 * accepts an HMAC algorithm (an issuer's JWKS has no shared secret; RFC 8725 §3.1); the 6 with an empty
 * payload, because an ID token always has claims; and the 4 RFC 7520 examples whose key declares another
 * {@code alg} than the JWS uses, because the module honours a key's {@code alg} (RFC 7517 §4.4).
 */
class WycheproofJwsTest {

    record Outcome(int tcId, String result, String alg, boolean accepted, String comment, String reason) {
    }

    @Test
    @DisplayName("all 401 Wycheproof JWS vectors: invalid ones rejected, valid ones accepted, but for HMAC by design")
    void wycheproof() throws Exception {
        List<Outcome> outcomes = run();

        assertThat(outcomes).hasSize(401);
        assertThat(outcomes.stream().filter(o -> o.result().equals("invalid") && o.accepted()))
                .as("invalid vectors accepted").isEmpty();
        List<Outcome> validRejected = outcomes.stream().filter(o -> o.result().equals("valid") && !o.accepted()).toList();
        // The documented deviations (docs/security.md), each by design:
        assertThat(validRejected).as("valid vectors rejected").allSatisfy(o -> assertThat(o).satisfiesAnyOf(
                hmac -> assertThat(hmac.alg()).isEqualTo("HS256"),
                empty -> assertThat(empty.reason()).contains("empty header or claims part"),
                keyAlg -> assertThat(keyAlg.reason()).containsPattern("key kid \"[^\"]+\" is for \"[A-Z0-9]+\", not ")));
        assertThat(validRejected).filteredOn(o -> o.alg().equals("HS256")).hasSize(10);
        assertThat(validRejected).filteredOn(o -> o.comment().equals("emptyPayload")).hasSize(6);
        assertThat(validRejected).hasSize(20);
        TreeSet<String> acceptedAlgorithms = outcomes.stream().filter(o -> o.result().equals("valid") && o.accepted())
                .map(Outcome::alg).collect(java.util.stream.Collectors.toCollection(TreeSet::new));
        assertThat(acceptedAlgorithms).containsExactly("ES256", "PS256", "PS384", "PS512", "RS256", "RS384", "RS512");
    }

    @SuppressWarnings("unchecked")
    private List<Outcome> run() throws Exception {
        Map<String, Object> file;
        try (InputStream in = getClass().getResourceAsStream("/wycheproof/json_web_signature_test.json")) {
            file = JSONObjectUtils.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), 10_000_000);
        }
        List<Outcome> outcomes = new ArrayList<>();
        for (Object g : (List<Object>) file.get("testGroups")) {
            Map<String, Object> group = (Map<String, Object>) g;
            Map<String, Object> publicKey = (Map<String, Object>) group.get("public");
            JWK key = publicKey != null ? JWK.parse(publicKey) : JWK.parse((Map<String, Object>) group.get("private")).toPublicJWK();
            JWKSet jwks = key == null ? new JWKSet() : new JWKSet(key); // a symmetric key has no public part
            try (IssuerKeys keys = IssuerKeys.configured(URI.create("https://issuer.example.com/"),
                    IdTokenValidator.SUPPORTED_ALGORITHMS, new ImmutableJWKSet<>(jwks))) {
                JwsSignatureCheck check = new JwsSignatureCheck(IdTokenValidator.SUPPORTED_ALGORITHMS, keys);
                for (Object t : (List<Object>) group.get("tests")) {
                    Map<String, Object> test = (Map<String, Object>) t;
                    Object jws = test.get("jws");
                    String compact = jws instanceof String s ? s : JSONObjectUtils.toJSONString((Map<String, Object>) jws);
                    boolean accepted;
                    String reason = null;
                    try {
                        check.verify(compact);
                        accepted = true;
                    } catch (TokenRejectedException rejected) {
                        accepted = false;
                        reason = rejected.getMessage();
                    }
                    outcomes.add(new Outcome(((Number) test.get("tcId")).intValue(), (String) test.get("result"),
                            algOf(compact), accepted, (String) test.get("comment"), reason));
                }
            }
        }
        return outcomes;
    }

    private static String algOf(String compact) {
        try {
            return String.valueOf(com.nimbusds.jose.JWSHeader.parse(com.nimbusds.jose.util.Base64URL.from(
                    compact.substring(0, compact.indexOf('.')))).getAlgorithm());
        } catch (Exception e) {
            return "?";
        }
    }

    @Test
    @DisplayName("the supported algorithms are asymmetric only")
    void supportedAlgorithms_noHmacNoNone() {
        assertThat(IdTokenValidator.SUPPORTED_ALGORITHMS).doesNotContain(JWSAlgorithm.HS256, JWSAlgorithm.HS384,
                JWSAlgorithm.HS512, new JWSAlgorithm("none"));
    }
}
