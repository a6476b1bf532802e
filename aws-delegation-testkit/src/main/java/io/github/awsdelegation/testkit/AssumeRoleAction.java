package io.github.awsdelegation.testkit;

import com.sun.net.httpserver.HttpExchange;
import io.github.awsdelegation.testkit.internal.SessionPolicies;
import io.github.awsdelegation.testkit.internal.SigV4Verifier;
import io.github.awsdelegation.testkit.internal.StsError;
import io.github.awsdelegation.testkit.internal.TrustPolicyEvaluator;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * STS AssumeRole for {@link LocalSts}: a request signed (SigV4) with an access key registered with
 * {@link LocalSts#addAccessKey} (an IAM user) or with credentials the STS issued (role chaining), checked against the
 * role's trust policy ({@code Principal.AWS}; {@code sts:TagSession} for tags, {@code sts:SetSourceIdentity} for a
 * source identity), the STS model's constraints, the role's maximum session duration and — when the caller is itself
 * a role session — the 1-hour limit of role chaining. The caller's transitive session tags carry over.
 */
final class AssumeRoleAction {

    private static final Logger LOG = LoggerFactory.getLogger(AssumeRoleAction.class);
    private static final Pattern SESSION_NAME = Pattern.compile("[\\w+=,.@-]{2,64}");
    private static final Pattern TAG_KEY = Pattern.compile("[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]{1,128}");
    private static final Pattern TAG_VALUE = Pattern.compile("[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]{0,256}");
    private static final Pattern TAG_PARAMETER = Pattern.compile("Tags\\.member\\.(\\d{1,4})\\.(Key|Value)");
    private static final Pattern TRANSITIVE_PARAMETER = Pattern.compile("TransitiveTagKeys\\.member\\.(\\d{1,4})");
    private static final Duration ROLE_CHAINING_LIMIT = Duration.ofHours(1);
    private static final char[] KEY_ID_CHARACTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".toCharArray();
    private static final char[] SECRET_CHARACTERS =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final LocalSts sts;

    AssumeRoleAction(LocalSts sts) {
        this.sts = sts;
    }

    /** The answer and what the endpoint records. */
    record Result(String xml, String accessKeyId, String caller) {
    }

    /** The authenticated caller: its ARN, the principals a trust policy may name, and its session if it has one. */
    private record Caller(String arn, List<String> principals, IssuedSession session) {
    }

    Result assumeRole(HttpExchange exchange, byte[] body, Map<String, List<String>> params, String requestId) {
        Caller caller = authenticate(exchange, body);
        String roleArn = single(params, "RoleArn");
        String sessionName = single(params, "RoleSessionName");
        String durationText = single(params, "DurationSeconds");
        String policy = single(params, "Policy");
        String sourceIdentity = single(params, "SourceIdentity");
        List<String> policyArns = indexed(params, Pattern.compile("PolicyArns\\.member\\.(\\d{1,4})\\.arn"));
        Map<String, String> tags = tags(params);
        List<String> transitive = indexed(params, TRANSITIVE_PARAMETER);
        List<String> errors = new ArrayList<>();
        if (roleArn == null || roleArn.length() < 20) {
            errors.add("Value '" + roleArn + "' at 'roleArn' failed to satisfy constraint: Member must have length greater"
                    + " than or equal to 20");
        }
        if (sessionName == null || !SESSION_NAME.matcher(sessionName).matches()) {
            errors.add("Value '" + sessionName + "' at 'roleSessionName' failed to satisfy constraint: Member must satisfy"
                    + " regular expression pattern: [\\w+=,.@-]* and have length 2-64");
        }
        Integer duration = null;
        if (durationText != null) {
            duration = durationText.matches("\\d{1,9}") ? Integer.valueOf(durationText) : null;
            if (duration == null || duration < 900 || duration > 43200) {
                errors.add("Value '" + durationText + "' at 'durationSeconds' failed to satisfy constraint: Member must have"
                        + " value between 900 and 43200");
            }
        }
        if (policy != null && policy.length() > 2048) {
            errors.add("Value at 'policy' failed to satisfy constraint: Member must have length less than or equal to 2048");
        }
        if (policyArns.size() > 10) {
            errors.add("Value at 'policyArns' failed to satisfy constraint: Member must have length less than or equal to 10");
        }
        if (tags.size() > 50) {
            errors.add("Value at 'tags' failed to satisfy constraint: Member must have length less than or equal to 50");
        }
        tags.forEach((key, value) -> {
            if (!TAG_KEY.matcher(key).matches() || !TAG_VALUE.matcher(value).matches()) {
                errors.add("Value at 'tags' failed to satisfy constraint: tag '" + key + "' has a key over 128 or a value"
                        + " over 256 characters, or characters IAM does not allow");
            }
        });
        if (sourceIdentity != null && (!SESSION_NAME.matcher(sourceIdentity).matches()
                || sourceIdentity.regionMatches(true, 0, "aws:", 0, 4))) {
            errors.add("Value '" + sourceIdentity + "' at 'sourceIdentity' failed to satisfy constraint: Member must satisfy"
                    + " regular expression pattern: [\\w+=,.@-]* (2-64 characters) and not start with aws:");
        }
        if (!errors.isEmpty()) {
            throw StsError.validation(errors.size() + " validation error" + (errors.size() == 1 ? "" : "s") + " detected: "
                    + String.join("; ", errors));
        }
        for (String key : transitive) {
            if (!tags.containsKey(key)) {
                throw StsError.validation("Transitive tag key " + key + " is not one of the session tags.");
            }
        }
        if (policy != null) {
            SessionPolicies.validate(policy);
        }
        LocalRole role = sts.role(roleArn).orElse(null);
        String notAuthorized = "User: " + caller.arn() + " is not authorized to perform: sts:AssumeRole on resource: " + roleArn;
        if (role == null) {
            throw StsError.accessDenied(notAuthorized);
        }
        // Transitive tags of a chained session carry over and cannot be changed.
        Map<String, String> sessionTags = new LinkedHashMap<>(tags);
        List<String> sessionTransitive = new ArrayList<>(transitive);
        String effectiveSourceIdentity = sourceIdentity;
        if (caller.session() != null) {
            for (String key : caller.session().transitiveTagKeys()) {
                String inherited = caller.session().sessionTags().get(key);
                if (tags.containsKey(key) && !tags.get(key).equals(inherited)) {
                    throw StsError.accessDenied("Cannot change the value of transitive session tag " + key);
                }
                sessionTags.put(key, inherited);
                if (!sessionTransitive.contains(key)) {
                    sessionTransitive.add(key);
                }
            }
            String inheritedSource = caller.session().sourceIdentity();
            if (inheritedSource != null && sourceIdentity != null && !inheritedSource.equals(sourceIdentity)) {
                throw StsError.accessDenied("Cannot change the source identity of a role chain");
            }
            if (inheritedSource != null) {
                effectiveSourceIdentity = inheritedSource;
            }
        }
        List<String> actions = new ArrayList<>(List.of("sts:AssumeRole"));
        if (!tags.isEmpty()) {
            actions.add("sts:TagSession");
        }
        if (sourceIdentity != null) {
            actions.add("sts:SetSourceIdentity");
        }
        for (String action : actions) {
            TrustPolicyEvaluator.Decision decision = TrustPolicyEvaluator.evaluate(role.trustPolicy(),
                    new TrustPolicyEvaluator.Request(null, action, Map.of(), caller.principals()));
            if (!decision.allowed()) {
                LOG.info("LocalSts denies {} on {} for {}: {}", action, role.arn(), caller.arn(), decision.reason());
                throw StsError.accessDenied(action.equals("sts:AssumeRole") ? notAuthorized
                        : "User: " + caller.arn() + " is not authorized to perform: " + action + " on resource: " + roleArn
                        + (decision.outcome() == TrustPolicyEvaluator.Outcome.UNSUPPORTED ? " (" + decision.reason() + ")" : ""));
            }
        }
        int seconds = duration != null ? duration : (int) LocalSts.DEFAULT_SESSION_DURATION.toSeconds();
        if (caller.session() != null && seconds > ROLE_CHAINING_LIMIT.toSeconds()) {
            throw StsError.validation("The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by"
                    + " role chaining.");
        }
        if (seconds > role.maxSessionDuration().toSeconds()) {
            throw StsError.validation("The requested DurationSeconds exceeds the MaxSessionDuration set for this role.");
        }
        int packedSize = SessionPolicies.packedSizePercent(policy, policyArns, sessionTags);
        if (packedSize > 100) {
            throw new StsError("PackedPolicyTooLarge", 400, "Packed policy consumes " + packedSize
                    + "% of allotted space, please use smaller policy.");
        }
        Instant now = sts.clock().instant().truncatedTo(ChronoUnit.SECONDS);
        Instant expiration = now.plusSeconds(seconds);
        String accessKeyId = sts.newAccessKeyId(() -> "ASIA" + random(KEY_ID_CHARACTERS, 16));
        String assumedRoleId = role.roleId() + ":" + sessionName;
        String assumedRoleArn = "arn:aws:sts::" + role.accountId() + ":assumed-role/" + role.name() + "/" + sessionName;
        byte[] token = new byte[270];
        RANDOM.nextBytes(token);
        IssuedSession session = new IssuedSession(accessKeyId, random(SECRET_CHARACTERS, 40),
                "IQoJb3JpZ2luX2Vj" + Base64.getEncoder().encodeToString(token), role.arn(), sessionName, assumedRoleArn,
                assumedRoleId, now, expiration, policy, policyArns, null, null, null, sessionTags, sessionTransitive,
                effectiveSourceIdentity);
        sts.store(session);
        StsXml xml = StsXml.response("AssumeRole")
                .open("    ", "AssumedRoleUser")
                .element("      ", "Arn", assumedRoleArn)
                .element("      ", "AssumedRoleId", assumedRoleId)
                .close("    ", "AssumedRoleUser")
                .open("    ", "Credentials")
                .element("      ", "SessionToken", session.sessionToken())
                .element("      ", "SecretAccessKey", session.secretAccessKey())
                .element("      ", "Expiration", expiration.toString())
                .element("      ", "AccessKeyId", accessKeyId)
                .close("    ", "Credentials")
                .element("    ", "SourceIdentity", effectiveSourceIdentity);
        if (policy != null || !policyArns.isEmpty() || !sessionTags.isEmpty()) {
            xml.element("    ", "PackedPolicySize", packedSize);
        }
        LOG.debug("LocalSts issued {} for {} as {}", accessKeyId, caller.arn(), assumedRoleArn);
        return new Result(xml.finish("AssumeRole", requestId), accessKeyId, caller.arn());
    }

    private Caller authenticate(HttpExchange exchange, byte[] body) {
        SigV4Verifier.Authorization authorization = SigV4Verifier.parse(exchange.getRequestHeaders().getFirst("Authorization"));
        String accountRoot = "arn:aws:iam::" + sts.accountId() + ":root";
        LocalSts.AccessKey key = sts.accessKey(authorization.accessKeyId()).orElse(null);
        if (key != null) {
            SigV4Verifier.verify(authorization, key.secretAccessKey(), exchange.getRequestMethod(), exchange.getRequestURI(),
                    name -> exchange.getRequestHeaders().get(name), body, "sts");
            return new Caller(key.principalArn(), List.of(key.principalArn(), accountRoot, sts.accountId()), null);
        }
        IssuedSession session = sts.session(authorization.accessKeyId()).orElseThrow(() -> new StsError(
                "InvalidClientTokenId", 403, "The security token included in the request is invalid."));
        String token = exchange.getRequestHeaders().getFirst("X-Amz-Security-Token");
        if (token == null || !MessageDigest.isEqual(token.getBytes(StandardCharsets.UTF_8),
                session.sessionToken().getBytes(StandardCharsets.UTF_8))) {
            throw new StsError("InvalidClientTokenId", 403, "The security token included in the request is invalid.");
        }
        SigV4Verifier.verify(authorization, session.secretAccessKey(), exchange.getRequestMethod(), exchange.getRequestURI(),
                name -> exchange.getRequestHeaders().get(name), body, "sts");
        if (session.isExpiredAt(sts.clock().instant())) {
            throw new StsError("ExpiredToken", 403, "The security token included in the request is expired");
        }
        return new Caller(session.assumedRoleArn(), List.of(session.roleArn(), session.assumedRoleArn(), accountRoot,
                sts.accountId()), session);
    }

    private static Map<String, String> tags(Map<String, List<String>> params) {
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

    private static List<String> indexed(Map<String, List<String>> params, Pattern pattern) {
        Map<Integer, String> byIndex = new TreeMap<>();
        params.forEach((name, values) -> {
            Matcher m = pattern.matcher(name);
            if (m.matches() && !values.isEmpty()) {
                byIndex.put(Integer.parseInt(m.group(1)), values.get(0));
            }
        });
        return List.copyOf(byIndex.values());
    }

    private static String single(Map<String, List<String>> params, String name) {
        List<String> values = params.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    private static String random(char[] alphabet, int length) {
        StringBuilder out = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            out.append(alphabet[RANDOM.nextInt(alphabet.length)]);
        }
        return out.toString();
    }
}
