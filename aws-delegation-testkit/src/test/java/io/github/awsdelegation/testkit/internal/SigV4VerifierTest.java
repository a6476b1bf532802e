package io.github.awsdelegation.testkit.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Checks the verifier against the worked example of AWS's Signature Version 4 test suite ("get-vanilla"). */
class SigV4VerifierTest {

    private static final String SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    private static final String AUTHORIZATION = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request,"
            + " SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31";
    private static final Map<String, List<String>> HEADERS = Map.of("host", List.of("example.amazonaws.com"),
            "x-amz-date", List.of("20150830T123600Z"));

    @Test
    void verify_awsTestSuiteGetVanilla_accepts() {
        SigV4Verifier.Authorization authorization = SigV4Verifier.parse(AUTHORIZATION);

        assertThat(authorization.accessKeyId()).isEqualTo("AKIDEXAMPLE");
        assertThat(authorization.signedHeaders()).containsExactly("host", "x-amz-date");
        assertThatCode(() -> SigV4Verifier.verify(authorization, SECRET, "GET", URI.create("/"), HEADERS::get, new byte[0],
                "service")).doesNotThrowAnyException();
    }

    @Test
    void verify_tamperedRequest_signatureDoesNotMatch() {
        SigV4Verifier.Authorization authorization = SigV4Verifier.parse(AUTHORIZATION);

        assertThatThrownBy(() -> SigV4Verifier.verify(authorization, SECRET, "GET", URI.create("/?a=b"), HEADERS::get,
                new byte[0], "service")).isInstanceOfSatisfying(StsError.class,
                        e -> assertThat(e.code()).isEqualTo("SignatureDoesNotMatch"));
        assertThatThrownBy(() -> SigV4Verifier.verify(authorization, SECRET, "POST", URI.create("/"), HEADERS::get,
                "x".getBytes(StandardCharsets.UTF_8), "service")).isInstanceOf(StsError.class);
    }

    @Test
    void verify_otherService_signatureDoesNotMatchNamingService() {
        SigV4Verifier.Authorization authorization = SigV4Verifier.parse(AUTHORIZATION);

        assertThatThrownBy(() -> SigV4Verifier.verify(authorization, SECRET, "GET", URI.create("/"), HEADERS::get, new byte[0],
                "sts")).hasMessageContaining("'sts'");
    }

    @Test
    void parse_missingOrMalformed_awsErrorCodes() {
        assertThatThrownBy(() -> SigV4Verifier.parse(null)).isInstanceOfSatisfying(StsError.class,
                e -> assertThat(e.code()).isEqualTo("MissingAuthenticationToken"));
        assertThatThrownBy(() -> SigV4Verifier.parse("AWS4-HMAC-SHA256 Credential=x")).isInstanceOfSatisfying(StsError.class,
                e -> assertThat(e.code()).isEqualTo("IncompleteSignature"));
    }

    @Test
    void canonicalQuery_sortsAndEncodesLikeAws() {
        assertThat(SigV4Verifier.canonicalQuery("b=2&a=%20x&a=1&c")).isEqualTo("a=%20x&a=1&b=2&c=");
        assertThat(SigV4Verifier.uriEncode("a b~/*")).isEqualTo("a%20b~%2F%2A");
    }
}
