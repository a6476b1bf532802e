package io.github.awsdelegation;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.awsdelegation.config.DelegationConfig;
import io.github.awsdelegation.role.RoleDecision;
import io.github.awsdelegation.role.RoleGrant;
import io.github.awsdelegation.sts.CredentialRequest;
import io.github.awsdelegation.sts.IssuedCredentials;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;

/** The public types that hold secrets print none of them. */
class ToStringNeverLeaksTest {

    static final String SECRET_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    static final String SESSION_TOKEN = "IQoJb3JpZ2luX2VjEXAMPLESESSIONTOKEN";
    static final String ID_TOKEN = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhdXRoMHwxIn0.c2lnbmF0dXJl";
    static final String CLIENT_SECRET = "client-secret-EXAMPLE";

    final IssuedCredentials credentials = new IssuedCredentials(AwsSessionCredentials.builder().accessKeyId("ASIAEXAMPLE")
            .secretAccessKey(SECRET_KEY).sessionToken(SESSION_TOKEN).build(), Instant.now().plusSeconds(3600),
            "arn:aws:iam::123456789012:role/r", "arn:aws:sts::123456789012:assumed-role/r/s", "AROAEXAMPLE:s");

    @Test
    @DisplayName("credentials, credential requests, delegations and login settings print no secret")
    void toString_noSecrets() {
        RoleGrant role = RoleGrant.of("arn:aws:iam::123456789012:role/r");
        var request = new CredentialRequest(Identities.social("amazon|1"), ID_TOKEN, role, "amazon-1", null, Duration.ofHours(1));
        var delegation = new Delegation(Identities.social("amazon|1"),
                new RoleDecision(role, List.of(role), "rule", "reason", false), credentials);
        var login = new io.github.awsdelegation.config.LoginSettings(CLIENT_SECRET, "/login", "/callback", "/logout",
                URI.create("https://app.example.com/callback"), List.of("openid"), "/", "/", true);

        for (Object value : List.of(credentials, request, delegation, login)) {
            assertThat(value.toString()).as(value.getClass().getSimpleName())
                    .doesNotContain(SECRET_KEY).doesNotContain(SESSION_TOKEN).doesNotContain(ID_TOKEN).doesNotContain(CLIENT_SECRET);
        }
        assertThat(credentials.toString()).contains("ASIAEXAMPLE").contains("assumed-role/r/s");
        assertThat(request.toString()).contains("idToken=<redacted>");
    }
}
