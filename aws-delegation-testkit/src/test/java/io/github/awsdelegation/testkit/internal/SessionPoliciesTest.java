package io.github.awsdelegation.testkit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SessionPoliciesTest {

    @Test
    void packedSizePercent_growsWithPolicyArnsAndTags() {
        String policy = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\","
                + "\"Resource\":\"arn:aws:s3:::pet-shop/pets/*\"}]}";

        int alone = SessionPolicies.packedSizePercent(policy, List.of(), Map.of());
        int more = SessionPolicies.packedSizePercent(policy, List.of("arn:aws:iam::aws:policy/ReadOnlyAccess"),
                Map.of("team", "pets"));

        assertThat(alone).isBetween(1, 20);
        assertThat(more).isGreaterThan(alone);
    }

    @Test
    void packedSizePercent_ignoresWhitespaceOfThePolicy() {
        String compact = "{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"*\"}]}";
        String pretty = "{\n  \"Statement\": [\n    {\"Effect\": \"Allow\", \"Action\": \"s3:*\", \"Resource\": \"*\"}\n  ]\n}";

        assertThat(SessionPolicies.packedSizePercent(pretty, List.of(), Map.of()))
                .isEqualTo(SessionPolicies.packedSizePercent(compact, List.of(), Map.of()));
    }
}
