package io.github.awsdelegation.sts;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;

class IssuedCredentialsTest {

    private static final Instant EXPIRATION = Instant.parse("2026-12-06T22:00:00Z");
    private static final String ROLE = "arn:aws:iam::123456789012:role/shop/buyer";

    private static IssuedCredentials issued(String arn, String id, String requestId) {
        return new IssuedCredentials(AwsSessionCredentials.builder().accessKeyId("ASIAEXAMPLE").secretAccessKey("secret")
                .sessionToken("token").expirationTime(EXPIRATION).build(), EXPIRATION, ROLE, arn, id, null, requestId);
    }

    @Test
    @DisplayName("the assumed-role ARN and id of STS's shape come back equal to what STS returned, for every session of the role")
    void assumedRole_stsShape_equalToGiven() {
        for (String session : new String[] {"auth0-42-0123456789ab", "alice@example.com", "a", "x:y", "A_b+c=d,e.f@g-h"}) {
            String arn = "arn:aws:sts::123456789012:assumed-role/buyer/" + session;
            String id = "AROA3XFRBF535PLBIFPI4:" + session;

            IssuedCredentials c = issued(new String(arn), new String(id), null);

            assertThat(c.assumedRoleArn()).isEqualTo(arn);
            assertThat(c.assumedRoleId()).isEqualTo(id);
            assertThat(c.toString()).contains("assumedRoleArn=" + arn);
        }
    }

    @Test
    @DisplayName("an assumed role of another shape (another STS, a test double) is kept exactly as given")
    void assumedRole_otherShapes_keptAsGiven() {
        String[][] shapes = {
            {"arn:aws:sts::123456789012:assumed-role/buyer/alice", "AROA3XFRBF535PLBIFPI4:bob"}, // names differ
            {"arn:aws:sts::123456789012:assumed-role/buyer/alice", "AROA3XFRBF535PLBIFPI4"}, // id without a session
            {"arn:aws:sts::123456789012:assumed-role/buyer/alice", ":alice"}, // id without a role id
            {"arn:aws:sts::123456789012:assumed-role/buyer/alice", "AROA3XFRBF535PLBIFPI4:"}, // empty session
            {"arn:aws:sts::123456789012:assumed-role/buyer-alice", "AROA3XFRBF535PLBIFPI4:alice"}, // no '/' before it
            {"alice", "AROA3XFRBF535PLBIFPI4:alice"}, // the ARN is the session name alone
            {"arn:aws:sts:::assumed-role/buyer/ålice", "AROA:ålice"}, // not US-ASCII
            {"arn:aws:sts::123456789012:assumed-role/buyer/alice", null},
            {null, "AROA3XFRBF535PLBIFPI4:alice"},
            {null, null},
        };
        for (String[] shape : shapes) {
            IssuedCredentials c = issued(shape[0], shape[1], null);

            assertThat(c.assumedRoleArn()).isEqualTo(shape[0]);
            assertThat(c.assumedRoleId()).isEqualTo(shape[1]);
        }
    }

    @Test
    @DisplayName("beyond the roles whose shared parts are kept, values keep their strings and stay equal")
    void assumedRole_manyRoles_equalToGiven() {
        for (int r = 0; r < IssuedCredentials.MAX_SHARED_ROLES + 10; r++) {
            String arn = "arn:aws:sts::123456789012:assumed-role/role-" + r + "/alice";
            String id = "AROA" + r + ":alice";

            IssuedCredentials c = issued(arn, id, null);

            assertThat(c.assumedRoleArn()).isEqualTo(arn);
            assertThat(c.assumedRoleId()).isEqualTo(id);
        }
    }

    @Test
    @DisplayName("the STS request id comes back equal to what STS answered, whatever its form")
    void stsRequestId_equalToGiven() {
        String uuid = UUID.randomUUID().toString();
        for (String requestId : new String[] {uuid, uuid.toUpperCase(), "00000000-0000-0000-0000-000000000000",
            "ffffffff-ffff-ffff-ffff-ffffffffffff", "1-2-3-4-5", "c6104cbe-af31-11e0-8154-cbc7ccf896c", "req-42", "", null}) {
            IssuedCredentials c = issued("arn:aws:sts::123456789012:assumed-role/buyer/alice", "AROA1:alice", requestId);

            assertThat(c.stsRequestId()).isEqualTo(requestId);
            assertThat(c.toString()).contains("stsRequestId=" + requestId);
        }
    }

    @Test
    @DisplayName("the five-argument constructor has no source identity and no request id")
    void fiveArguments() {
        IssuedCredentials c = new IssuedCredentials(AwsSessionCredentials.create("ASIAEXAMPLE", "secret", "token"),
                EXPIRATION, ROLE, "arn:aws:sts::123456789012:assumed-role/buyer/alice", "AROA1:alice");

        assertThat(c.sourceIdentity()).isNull();
        assertThat(c.stsRequestId()).isNull();
        assertThat(c.roleArn()).isEqualTo(ROLE);
        assertThat(c.expiration()).isEqualTo(EXPIRATION);
        assertThat(c.toString()).doesNotContain("secret").doesNotContain("token");
    }

    private static final String ARN = "arn:aws:sts::123456789012:assumed-role/buyer/auth0-42";
    private static final String ID = "AROA3XFRBF535PLBIFPI4:auth0-42";
    private static final String KEY_ID = "ASIA3XFRBF535EXAMPLE";
    private static final String SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY";
    private static final String TOKEN = "IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJHMEUCIQD+example+token=";

    private static IssuedCredentials issued(AwsSessionCredentials given) {
        return new IssuedCredentials(given, EXPIRATION, ROLE, ARN, ID, "alice", null);
    }

    private static AwsSessionCredentials.Builder sdk(String keyId, String secret, String token) {
        return AwsSessionCredentials.builder().accessKeyId(keyId).secretAccessKey(secret).sessionToken(token)
                .expirationTime(EXPIRATION).providerName("aws-delegation");
    }

    // The values the object keeps, one level deep: what stays on the heap per cached user besides the object itself.
    private static List<Object> fieldValues(IssuedCredentials c) throws IllegalAccessException {
        List<Object> values = new ArrayList<>();
        for (Field f : IssuedCredentials.class.getDeclaredFields()) {
            if (!Modifier.isStatic(f.getModifiers())) {
                f.setAccessible(true);
                values.add(f.get(c));
            }
        }
        return values;
    }

    @Test
    @DisplayName("STS's ASCII key id, secret and token are kept in one byte array with the session name, not as the SDK's object and strings")
    void credentials_ascii_packedInOneArray() throws IllegalAccessException {
        AwsSessionCredentials given = sdk(KEY_ID, SECRET, TOKEN).build();

        List<Object> kept = fieldValues(issued(given));

        assertThat(kept).doesNotContain(given, given.accessKeyId(), given.secretAccessKey(), given.sessionToken());
        assertThat(kept).noneMatch(v -> v instanceof AwsSessionCredentials);
        assertThat(kept).filteredOn(v -> v instanceof byte[]).singleElement()
                .isEqualTo((KEY_ID + SECRET + TOKEN + "auth0-42").getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    @DisplayName("credentials() builds a new SDK object on each call, equal to the given one, expiring at expiration()")
    void credentials_packed_freshObjectEqualToGiven() {
        AwsSessionCredentials given = sdk(KEY_ID, SECRET, TOKEN).build();
        IssuedCredentials c = issued(given);

        AwsSessionCredentials first = c.credentials();
        AwsSessionCredentials second = c.credentials();

        assertThat(first).isNotSameAs(given).isNotSameAs(second).isEqualTo(given).isEqualTo(second);
        assertThat(first.accessKeyId()).isEqualTo(KEY_ID);
        assertThat(first.secretAccessKey()).isEqualTo(SECRET);
        assertThat(first.sessionToken()).isEqualTo(TOKEN);
        assertThat(first.expirationTime()).hasValue(EXPIRATION);
        assertThat(first.providerName()).hasValue("aws-delegation");
        assertThat(first.accountId()).isEmpty();
        assertThat(c.accessKeyId()).isEqualTo(KEY_ID);
        assertThat(c.assumedRoleArn()).isEqualTo(ARN);
        assertThat(c.assumedRoleId()).isEqualTo(ID);
        assertThat(c.sourceIdentity()).isEqualTo("alice");
    }

    @Test
    @DisplayName("without a provider name, and with an expiration time other than expiration(), the built object says expiration()")
    void credentials_packed_providerNameAbsent_expirationFromValue() {
        AwsSessionCredentials given = AwsSessionCredentials.create(KEY_ID, SECRET, TOKEN);

        AwsSessionCredentials built = issued(given).credentials();

        assertThat(built.providerName()).isEmpty();
        assertThat(built.expirationTime()).hasValue(EXPIRATION);
        assertThat(built.sessionToken()).isEqualTo(TOKEN);
    }

    @Test
    @DisplayName("ISO-8859-1 characters beyond ASCII are packed and come back equal")
    void credentials_latin1_packedAndEqual() throws IllegalAccessException {
        AwsSessionCredentials given = sdk(KEY_ID, "sécret-ÿ", "tökén").build();
        IssuedCredentials c = issued(given);

        assertThat(fieldValues(c)).noneMatch(v -> v instanceof AwsSessionCredentials);
        assertThat(c.credentials()).isEqualTo(given);
        assertThat(c.assumedRoleArn()).isEqualTo(ARN);
    }

    @Test
    @DisplayName("a value with a character beyond ISO-8859-1 keeps the SDK object as given, and everything stays equal")
    void credentials_notLatin1_keptAsGiven() {
        for (AwsSessionCredentials given : List.of(sdk("ASIA€", SECRET, TOKEN).build(), sdk(KEY_ID, "秘密", TOKEN).build(),
                sdk(KEY_ID, SECRET, TOKEN + "\u0100").build())) {
            IssuedCredentials c = issued(given);

            assertThat(c.credentials()).isSameAs(given).isSameAs(c.credentials());
            assertThat(c.accessKeyId()).isEqualTo(given.accessKeyId());
            assertThat(c.assumedRoleArn()).isEqualTo(ARN);
            assertThat(c.assumedRoleId()).isEqualTo(ID);
            assertThat(c.toString()).doesNotContain(given.secretAccessKey()).doesNotContain(given.sessionToken());
        }
    }

    @Test
    @DisplayName("credentials with an account id are kept as given (the packed form has no place for it)")
    void credentials_accountId_keptAsGiven() {
        AwsSessionCredentials given = sdk(KEY_ID, SECRET, TOKEN).accountId("123456789012").build();

        IssuedCredentials c = issued(given);

        assertThat(c.credentials()).isSameAs(given);
        assertThat(c.credentials().accountId()).hasValue("123456789012");
    }

    @Test
    @DisplayName("kept as given, credentials whose expiration time differs from expiration() are set to it once")
    void credentials_keptAsGiven_expirationSet() {
        AwsSessionCredentials given = AwsSessionCredentials.builder().accessKeyId(KEY_ID).secretAccessKey("秘密")
                .sessionToken(TOKEN).expirationTime(EXPIRATION.plusSeconds(60)).build();

        IssuedCredentials c = issued(given);

        assertThat(c.credentials().expirationTime()).hasValue(EXPIRATION);
        assertThat(c.credentials()).isSameAs(c.credentials());
        assertThat(c.credentials().secretAccessKey()).isEqualTo("秘密");
    }

    @Test
    @DisplayName("toString shows the access key id and never the secret key or session token, packed or kept as given")
    void toString_neverSecrets() {
        for (AwsSessionCredentials given : List.of(sdk(KEY_ID, SECRET, TOKEN).build(), sdk(KEY_ID, SECRET + "秘", TOKEN).build())) {
            String text = issued(given).toString();

            assertThat(text).contains("accessKeyId=" + KEY_ID).doesNotContain(SECRET).doesNotContain(TOKEN);
        }
    }
}
