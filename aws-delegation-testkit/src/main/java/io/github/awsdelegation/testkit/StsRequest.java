package io.github.awsdelegation.testkit;

import com.sun.net.httpserver.HttpExchange;
import io.github.awsdelegation.testkit.internal.HttpExchanges;
import io.github.awsdelegation.testkit.internal.StsError;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One STS Query request as {@link StsEndpoints} received it: the exchange, its body, its parameters (query and
 * form body), and the members every {@code AssumeRole*} action shares, read once. {@link Constraints} checks members
 * against the STS API model and reports all violations in one {@code ValidationError}, with STS's wording.
 */
final class StsRequest {

    private static final Pattern TAG_PARAMETER = Pattern.compile("Tags\\.member\\.(\\d{1,4})\\.(Key|Value)");
    private static final Pattern TRANSITIVE_PARAMETER = Pattern.compile("TransitiveTagKeys\\.member\\.(\\d{1,4})");
    private static final Pattern POLICY_ARN_PARAMETER = Pattern.compile("PolicyArns\\.member\\.(\\d{1,5})\\.arn");

    final HttpExchange exchange;
    final byte[] body;
    private final Map<String, List<String>> params;

    // What the call's record says beyond the parameters; the steps fill it in as they learn it.
    String recordedRoleArn;
    String recordedSessionName;
    String recordedSubject;
    String recordedAccessKeyId;

    StsRequest(HttpExchange exchange, byte[] body) {
        this.exchange = exchange;
        this.body = body;
        this.params = parameters(exchange, body);
        this.recordedRoleArn = roleArn();
        this.recordedSessionName = roleSessionName();
    }

    /** Returns the record of this call, answered with {@code outcome}, {@code status} and {@code requestId}. */
    StsCall record(Instant time, String outcome, int status, String requestId) {
        return new StsCall(time, action(), recordedRoleArn, recordedSessionName, durationSeconds(), policy(), policyArns(),
                recordedSubject, recordedAccessKeyId, outcome, status, requestId);
    }

    /** Returns the first value of a parameter, or null. */
    String single(String name) {
        List<String> values = params.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    String action() {
        return single("Action");
    }

    String roleArn() {
        return single("RoleArn");
    }

    String roleSessionName() {
        return single("RoleSessionName");
    }

    String policy() {
        return single("Policy");
    }

    String sourceIdentity() {
        return single("SourceIdentity");
    }

    /** Returns {@code DurationSeconds} when it is a number, else null ({@link Constraints#duration} reports it). */
    Integer durationSeconds() {
        String duration = single("DurationSeconds");
        return duration != null && duration.matches("\\d{1,9}") ? Integer.valueOf(duration) : null;
    }

    List<String> policyArns() {
        return indexed(POLICY_ARN_PARAMETER);
    }

    List<String> transitiveTagKeys() {
        return indexed(TRANSITIVE_PARAMETER);
    }

    /** Returns the {@code Tags.member.N.Key/Value} pairs in index order. */
    Map<String, String> tags() {
        Map<Integer, String[]> byIndex = new TreeMap<>();
        params.forEach((name, values) -> {
            Matcher m = TAG_PARAMETER.matcher(name);
            if (m.matches() && !values.isEmpty()) {
                String[] pair = byIndex.computeIfAbsent(Integer.parseInt(m.group(1)), i -> new String[2]);
                pair[m.group(2).equals("Key") ? 0 : 1] = values.get(0);
            }
        });
        Map<String, String> tags = new LinkedHashMap<>();
        for (String[] pair : byIndex.values()) {
            if (pair[0] == null) {
                throw StsError.validation("A session tag has a Value but no Key.");
            }
            tags.put(pair[0], pair[1] == null ? "" : pair[1]);
        }
        return tags;
    }

    String header(String name) {
        return exchange.getRequestHeaders().getFirst(name);
    }

    private List<String> indexed(Pattern pattern) {
        Map<Integer, String> byIndex = new TreeMap<>();
        params.forEach((name, values) -> {
            Matcher m = pattern.matcher(name);
            if (m.matches() && !values.isEmpty()) {
                byIndex.put(Integer.parseInt(m.group(1)), values.get(0));
            }
        });
        return List.copyOf(byIndex.values());
    }

    private static Map<String, List<String>> parameters(HttpExchange exchange, byte[] body) {
        try {
            Map<String, List<String>> params = new TreeMap<>(HttpExchanges.parseForm(exchange.getRequestURI().getRawQuery()));
            String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
            if (body.length > 0 && contentType != null
                    && contentType.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
                HttpExchanges.parseForm(new String(body, StandardCharsets.UTF_8))
                        .forEach((name, values) -> params.computeIfAbsent(name, k -> new ArrayList<>()).addAll(values));
            }
            return params;
        } catch (IllegalArgumentException e) {
            throw new StsError("MalformedQueryString", 400, "The query string or form body is not valid percent-encoding.");
        }
    }

    /** The STS API model's constraints on members, collected and reported together as STS does. */
    static final class Constraints {

        static final Pattern SESSION_NAME = Pattern.compile("[\\w+=,.@-]*");
        static final Pattern TAG_KEY = Pattern.compile("[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]{1,128}");
        static final Pattern TAG_VALUE = Pattern.compile("[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]{0,256}");
        private static final Pattern POLICY_CHARACTERS = Pattern.compile("[\\u0009\\u000A\\u000D\\u0020-\\u00FF]+");

        private final List<String> errors = new ArrayList<>();

        /** A required member of {@code min}..{@code max} characters; a secret one (a token) is never echoed. */
        Constraints required(String member, String value, int min, int max, boolean secret) {
            if (value == null) {
                errors.add("Value null at '" + member + "' failed to satisfy constraint: Member must not be null");
                return this;
            }
            return length(member, value, min, max, secret);
        }

        /** An optional member of {@code min}..{@code max} characters. */
        Constraints length(String member, String value, int min, int max, boolean secret) {
            if (value != null && (value.length() < min || value.length() > max)) {
                errors.add("Value " + (secret ? "" : "'" + value + "' ") + "at '" + member + "' failed to satisfy"
                        + " constraint: Member must have length " + (value.length() < min
                        ? "greater than or equal to " + min : "less than or equal to " + max));
            }
            return this;
        }

        /** {@code RoleSessionName} or {@code SourceIdentity}: 2-64 characters of {@code [\w+=,.@-]}. */
        Constraints sessionName(String member, String value, boolean required) {
            if (required) {
                required(member, value, 2, 64, false);
            } else {
                length(member, value, 2, 64, false);
            }
            if (value != null && !SESSION_NAME.matcher(value).matches()) {
                errors.add("Value '" + value + "' at '" + member + "' failed to satisfy constraint: Member must satisfy"
                        + " regular expression pattern: [\\w+=,.@-]*");
            }
            return this;
        }

        /** {@code DurationSeconds}, {@code Policy} and {@code PolicyArns}, which every AssumeRole* action takes. */
        Constraints durationAndPolicies(StsRequest request) {
            String durationText = request.single("DurationSeconds");
            Integer duration = request.durationSeconds();
            if (durationText != null) {
                if (duration == null) {
                    errors.add("Value '" + durationText + "' at 'durationSeconds' failed to satisfy constraint: Member"
                            + " must be an integer");
                } else if (duration < 900 || duration > 43200) {
                    errors.add("Value '" + durationText + "' at 'durationSeconds' failed to satisfy constraint: Member"
                            + " must have value " + (duration < 900 ? "greater than or equal to 900"
                            : "less than or equal to 43200"));
                }
            }
            String policy = request.policy();
            if (policy != null) {
                length("policy", policy, 1, 2048, true);
                if (!POLICY_CHARACTERS.matcher(policy).matches()) {
                    errors.add("Value at 'policy' failed to satisfy constraint: Member must satisfy regular expression"
                            + " pattern: [\\u0009\\u000A\\u000D\\u0020-\\u00FF]+");
                }
            }
            List<String> policyArns = request.policyArns();
            if (policyArns.size() > 10) {
                errors.add("Value at 'policyArns' failed to satisfy constraint: Member must have length less than or"
                        + " equal to 10");
            }
            for (int i = 0; i < policyArns.size(); i++) {
                length("policyArns." + (i + 1) + ".member.arn", policyArns.get(i), 20, 2048, false);
            }
            return this;
        }

        /** {@code Tags} (at most 50, IAM's characters and lengths) and {@code SourceIdentity} of AssumeRole. */
        Constraints tagsAndSourceIdentity(Map<String, String> tags, String sourceIdentity) {
            if (tags.size() > 50) {
                errors.add("Value at 'tags' failed to satisfy constraint: Member must have length less than or equal to 50");
            }
            tags.forEach((key, value) -> {
                if (!TAG_KEY.matcher(key).matches() || !TAG_VALUE.matcher(value).matches()) {
                    errors.add("Value at 'tags' failed to satisfy constraint: tag '" + key + "' has a key over 128 or a"
                            + " value over 256 characters, or characters IAM does not allow");
                }
            });
            sessionName("sourceIdentity", sourceIdentity, false);
            if (sourceIdentity != null && sourceIdentity.regionMatches(true, 0, "aws:", 0, 4)) {
                errors.add("Value '" + sourceIdentity + "' at 'sourceIdentity' failed to satisfy constraint: Member must"
                        + " not start with aws:");
            }
            return this;
        }

        /**
         * Reports what was found.
         *
         * @throws StsError {@code ValidationError} "N validation error(s) detected: ..." when a constraint failed
         */
        void check() {
            if (!errors.isEmpty()) {
                throw StsError.validation(errors.size() + " validation error" + (errors.size() == 1 ? "" : "s")
                        + " detected: " + String.join("; ", errors));
            }
        }
    }
}
