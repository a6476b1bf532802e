package io.github.awsdelegation.explain;

import io.github.awsdelegation.role.RoleScope;
import io.github.awsdelegation.scope.internal.SessionPolicyTemplate;
import io.github.awsdelegation.scope.SessionScope;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.zip.Deflater;

/**
 * A session's size against STS's limits: the plain-text ones exactly (STS AssumeRole: an inline session policy of at
 * most {@value SessionPolicyTemplate#MAX_POLICY_LENGTH} characters, at most {@value RoleScope#MAX_POLICY_ARNS} managed
 * policy ARNs and {@value RoleScope#MAX_TAGS} session tags), and an <em>estimate</em> of the packed size, which STS
 * computes over the policy, the managed policy ARNs and the tags together in a binary format it does not document (too
 * large → {@code PackedPolicyTooLarge}; STS answers the real figure as {@code PackedPolicySize}, a percentage).
 *
 * <p>The estimate deflates the three together and compares the result with {@value #ESTIMATED_PACKED_BUDGET} bytes:
 * treat it as a warning light, not a promise.
 *
 * @param policyLength           the inline session policy's length in characters, 0 without one
 * @param managedPolicies        the number of managed policy ARNs
 * @param tags                   the number of session tags
 * @param estimatedPackedPercent the packed size estimate, in percent of STS's limit
 */
public record PackedSize(int policyLength, int managedPolicies, int tags, int estimatedPackedPercent) {

    /** The packed-size budget the estimate assumes, in deflated bytes. */
    public static final int ESTIMATED_PACKED_BUDGET = 2048;

    /** From this estimated percentage on, an explanation warns that the session is near STS's packed limit. */
    public static final int WARNING_PERCENT = 90;

    /** Measures a rendered scope. */
    public static PackedSize of(SessionScope scope) {
        StringBuilder packed = new StringBuilder();
        packed.append(scope.sessionPolicy() == null ? "" : scope.sessionPolicy()).append('\n');
        scope.policyArns().forEach(arn -> packed.append(arn).append('\n'));
        for (Map.Entry<String, String> tag : scope.tags().entrySet()) {
            packed.append(tag.getKey()).append('=').append(tag.getValue()).append('\n');
        }
        int deflated = deflatedLength(packed.toString().getBytes(StandardCharsets.UTF_8));
        int percent = (int) Math.ceil(deflated * 100.0 / ESTIMATED_PACKED_BUDGET);
        return new PackedSize(scope.sessionPolicy() == null ? 0 : scope.sessionPolicy().length(), scope.policyArns().size(),
                scope.tags().size(), percent);
    }

    /** Returns whether a plain-text limit is exceeded or the packed estimate reaches {@value #WARNING_PERCENT}%. */
    public boolean nearOrOverLimit() {
        return policyLength > SessionPolicyTemplate.MAX_POLICY_LENGTH || managedPolicies > RoleScope.MAX_POLICY_ARNS
                || tags > RoleScope.MAX_TAGS || estimatedPackedPercent >= WARNING_PERCENT;
    }

    private static int deflatedLength(byte[] input) {
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION);
        try {
            deflater.setInput(input);
            deflater.finish();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[1024];
            while (!deflater.finished()) {
                out.write(buffer, 0, deflater.deflate(buffer));
            }
            return out.size();
        } finally {
            deflater.end();
        }
    }
}
