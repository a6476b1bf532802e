package io.github.awsdelegation.servlet.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CliSignInTest {

    @ParameterizedTest
    @ValueSource(strings = {"http://127.0.0.1:12200/saml", "http://127.0.0.1:1/", "http://127.0.0.1:65535/x?y=1", "http://[::1]:53682/saml"})
    void callbackProblem_loopbackIpLiteralHttpWithPort_isAccepted(String callback) {
        assertThat(CliSignIn.callbackProblem(callback)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://evil.example/saml", "http://evil.example:12200/saml", "http://127.0.0.1/saml",
            "https://127.0.0.1:12200/saml", "http://localhost.evil.example:12200/saml", "http://127.0.0.2:12200/saml",
            "http://user@127.0.0.1:12200/saml", "http://127.0.0.1:12200/saml#x", "http://[::2]:12200/saml",
            "javascript:alert(1)", "//127.0.0.1:12200/saml", "http://127.0.0.1:12200/%zz"})
    void callbackProblem_anythingElse_isRefused(String callback) {
        assertThat(CliSignIn.callbackProblem(callback)).isNotNull().contains("callback");
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://localhost:12200/saml", "http://LOCALHOST:53682/saml"})
    void callbackProblem_localhost_isRefusedSayingWhy(String callback) {
        assertThat(CliSignIn.callbackProblem(callback)).contains("not localhost", "RFC 8252", "update aws-delegation-cli");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " "})
    void callbackProblem_missing_saysWhatIsExpected(String callback) {
        assertThat(CliSignIn.callbackProblem(callback)).startsWith("callback is required");
        assertThat(CliSignIn.callbackProblem(null)).startsWith("callback is required");
    }

    @ParameterizedTest
    @ValueSource(strings = {"abcdefghijklmnop", "A-_0123456789abcdefABCDEF"})
    void state_urlSafeRandom_isAccepted(String state) {
        assertThat(CliSignIn.STATE.matcher(state).matches()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"short", "abcdefghijklmnop\"<script>", "abcdefghijklmnop qrs"})
    void state_otherwise_isRefused(String state) {
        assertThat(CliSignIn.STATE.matcher(state).matches()).isFalse();
    }
}
