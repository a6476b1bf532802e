package io.github.awsdelegation.sts;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
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
}
