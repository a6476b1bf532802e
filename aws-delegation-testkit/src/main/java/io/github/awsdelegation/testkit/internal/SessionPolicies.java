package io.github.awsdelegation.testkit.internal;

import com.nimbusds.jose.util.JSONObjectUtils;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.Deflater;

/**
 * Checks an STS session policy the way STS does before it issues credentials, and computes the packed size of
 * the session policy, managed policy ARNs and session tags.
 *
 * <p>AWS does not publish its packing; this one deflates them and divides by {@link #PACKED_BUDGET_BYTES}, so that
 * repetitive policies (the usual kind) use a small share and a policy near 2,048 characters of high-entropy text
 * overflows, as it does at AWS.
 */
public final class SessionPolicies {

    /** The budget the packed size is measured against, in deflated bytes: {@value}. */
    public static final int PACKED_BUDGET_BYTES = 1024;

    private static final Set<String> VERSIONS = Set.of("2012-10-17", "2008-10-17");

    private SessionPolicies() {
    }

    /**
     * Checks that {@code policy} is a policy document STS would accept as a session policy.
     *
     * @throws StsError {@code MalformedPolicyDocument} with IAM's wording when it is not
     */
    public static void validate(String policy) {
        Map<String, Object> document;
        try {
            document = JSONObjectUtils.parse(policy);
        } catch (ParseException e) {
            throw malformed("Syntax errors in policy.");
        }
        Object version = document.get("Version");
        if (version != null && !VERSIONS.contains(version)) {
            throw malformed("The policy must contain a valid version string");
        }
        Object statement = document.get("Statement");
        List<?> statements;
        if (statement instanceof Map<?, ?> single) {
            statements = List.of(single);
        } else if (statement instanceof List<?> list && !list.isEmpty()) {
            statements = list;
        } else {
            throw malformed("Missing required field Statement");
        }
        for (Object item : statements) {
            if (!(item instanceof Map<?, ?> entry)) {
                throw malformed("Syntax errors in policy.");
            }
            if (entry.containsKey("Principal") || entry.containsKey("NotPrincipal")) {
                throw malformed("Policy document should not specify a principal.");
            }
            Object effect = entry.get("Effect");
            if (effect == null) {
                throw malformed("Missing required field Effect");
            }
            if (!"Allow".equals(effect) && !"Deny".equals(effect)) {
                throw malformed("Invalid effect: " + effect);
            }
            if (!entry.containsKey("Action") && !entry.containsKey("NotAction")) {
                throw malformed("Policy statement must contain actions.");
            }
            if (!entry.containsKey("Resource") && !entry.containsKey("NotResource")) {
                throw malformed("Policy statement must contain resources.");
            }
        }
    }

    /**
     * Returns the packed size in percent of the allowed space (rounded up) of a session policy (or null), managed
     * policy ARNs and session tags.
     */
    public static int packedSizePercent(String policy, List<String> policyArns, Map<String, String> tags) {
        StringBuilder packed = new StringBuilder();
        if (policy != null) {
            packed.append(compact(policy));
        }
        policyArns.forEach(arn -> packed.append('\n').append(arn));
        tags.forEach((key, value) -> packed.append('\n').append(key).append('=').append(value));
        int bytes = deflatedSize(packed.toString().getBytes(StandardCharsets.UTF_8));
        return (int) Math.ceil(bytes * 100.0 / PACKED_BUDGET_BYTES);
    }

    private static String compact(String policy) {
        try {
            return JSONObjectUtils.toJSONString(JSONObjectUtils.parse(policy));
        } catch (ParseException e) {
            return policy;
        }
    }

    private static int deflatedSize(byte[] input) {
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION, true);
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

    private static StsError malformed(String message) {
        return new StsError("MalformedPolicyDocument", 400, message);
    }
}
