package io.github.awsdelegation.testkit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.github.awsdelegation.testkit.internal.HttpExchanges;
import io.github.awsdelegation.testkit.internal.SessionPolicies;
import io.github.awsdelegation.testkit.internal.SigV4Verifier;
import io.github.awsdelegation.testkit.internal.StsError;
import io.github.awsdelegation.testkit.internal.TrustPolicyEvaluator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP side of {@link LocalSts}: the STS Query protocol for AssumeRoleWithWebIdentity, AssumeRoleWithSAML and
 * GetCallerIdentity.
 */
final class StsEndpoints implements HttpHandler {

    private static final Logger LOG = LoggerFactory.getLogger(StsEndpoints.class);
    private static final String XML = "text/xml";
    private static final Pattern SESSION_NAME = Pattern.compile("[\\w+=,.@-]*");
    private static final Pattern POLICY_CHARACTERS = Pattern.compile("[\\u0009\\u000A\\u000D\\u0020-\\u00FF]+");
    private static final Pattern POLICY_ARN_PARAMETER = Pattern.compile("PolicyArns\\.member\\.(\\d+)\\.arn");
    private static final String NOT_AUTHORIZED = "Not authorized to perform sts:AssumeRoleWithWebIdentity";
    private static final String NOT_AUTHORIZED_SAML = "Not authorized to perform sts:AssumeRoleWithSAML";
    private static final char[] KEY_ID_CHARACTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".toCharArray();
    private static final char[] SECRET_CHARACTERS =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final LocalSts sts;
    private final WebIdentityTokenVerifier verifier;
    private final SamlAssertionVerifier samlVerifier;
    private final ConsoleSignInEndpoint consoleSignIn;

    StsEndpoints(LocalSts sts) {
        this.sts = sts;
        this.verifier = new WebIdentityTokenVerifier(sts::providerById, sts.clock());
        this.samlVerifier = new SamlAssertionVerifier(sts::samlProviderByArn, sts.clock());
        this.consoleSignIn = new ConsoleSignInEndpoint(sts, samlVerifier);
    }

    /** What gets recorded about a call; filled in as the request is understood. */
    private static final class CallInfo {
        Instant time;
        String action;
        String roleArn;
        String sessionName;
        Integer durationSeconds;
        String policy;
        List<String> policyArns = List.of();
        String subject;
        String accessKeyId;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        String requestId = UUID.randomUUID().toString();
        CallInfo call = new CallInfo();
        call.time = sts.clock().instant();
        exchange.getResponseHeaders().set("x-amzn-RequestId", requestId);
        try {
            byte[] body = HttpExchanges.readBody(exchange);
            Map<String, List<String>> params = parameters(exchange, body);
            call.action = single(params, "Action");
            call.roleArn = single(params, "RoleArn");
            call.sessionName = single(params, "RoleSessionName");
            call.policy = single(params, "Policy");
            call.policyArns = policyArns(params);
            String duration = single(params, "DurationSeconds");
            call.durationSeconds = duration != null && duration.matches("\\d{1,9}") ? Integer.valueOf(duration) : null;
            if (LocalSts.CONSOLE_SIGN_IN_PATH.equals(exchange.getRequestURI().getPath())) {
                consoleSignIn.handle(exchange, params); // the browser's sign-in, not an STS call: not recorded
                return;
            }
            if (!"/".equals(exchange.getRequestURI().getPath())) {
                throw new StsError("NotFound", 404, "LocalSts serves the STS Query API at / only, not "
                        + exchange.getRequestURI().getPath());
            }
            if (!"POST".equals(exchange.getRequestMethod()) && !"GET".equals(exchange.getRequestMethod())) {
                throw new StsError("MethodNotAllowed", 405, "Use POST (or GET) for the STS Query API.");
            }
            if (call.action == null) {
                throw new StsError("MissingAction", 400, "Missing Action");
            }
            applyFault(sts.takeFault());
            String version = single(params, "Version");
            if (!LocalSts.API_VERSION.equals(version)) {
                throw new StsError("InvalidAction", 400, "Could not find operation " + call.action + " for version "
                        + (version == null ? "NO_VERSION_SPECIFIED" : version));
            }
            String answer = switch (call.action) {
                case "AssumeRoleWithWebIdentity" -> assumeRoleWithWebIdentity(params, call, requestId);
                case "AssumeRoleWithSAML" -> assumeRoleWithSaml(params, call, requestId);
                case "GetCallerIdentity" -> getCallerIdentity(exchange, body, call, requestId);
                case "AssumeRole" -> {
                    AssumeRoleAction.Result result = new AssumeRoleAction(sts).assumeRole(exchange, body, params, requestId);
                    call.accessKeyId = result.accessKeyId();
                    yield result.xml();
                }
                case "GetSessionToken", "GetFederationToken", "AssumeRoot",
                        "DecodeAuthorizationMessage", "GetAccessKeyInfo", "GetWebIdentityToken", "GetDelegatedAccessToken" ->
                        throw new StsError("InvalidAction", 400, "LocalSts does not implement " + call.action + " yet.");
                default -> throw new StsError("InvalidAction", 400, "Could not find operation " + call.action
                        + " for version " + LocalSts.API_VERSION);
            };
            // Recorded before answering, so a test that got the answer also sees the call.
            sts.record(call(call, StsCall.SUCCESS, 200));
            HttpExchanges.send(exchange, 200, XML, answer);
        } catch (HttpExchanges.BodyTooLargeException e) {
            answerError(exchange, new StsError("RequestEntityTooLarge", 413, "Request body too large."), call, requestId);
        } catch (StsError e) {
            answerError(exchange, e, call, requestId);
        }
    }

    private void answerError(HttpExchange exchange, StsError error, CallInfo call, String requestId) throws IOException {
        LOG.debug("LocalSts {} -> {} {}", call.action, error.status(), error.code());
        sts.record(call(call, error.code(), error.status()));
        HttpExchanges.send(exchange, error.status(), XML, StsXml.error(error.type(), error.code(), error.getMessage(), requestId));
    }

    private static StsCall call(CallInfo info, String outcome, int status) {
        return new StsCall(info.time, info.action, info.roleArn, info.sessionName, info.durationSeconds, info.policy,
                info.policyArns, info.subject, info.accessKeyId, outcome, status);
    }

    private static void applyFault(Fault fault) {
        switch (fault.kind()) {
            case THROTTLE -> throw new StsError("Throttling", 400, "Rate exceeded");
            case UNAVAILABLE -> throw new StsError("ServiceUnavailable", 503, "Service is unavailable. Please try again later.");
            case SLOW -> {
                try {
                    Thread.sleep(fault.delay().toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new StsError("ServiceUnavailable", 503, "LocalSts is shutting down.");
                }
            }
            case NONE -> {
                // Answer normally.
            }
        }
    }

    // --- AssumeRoleWithWebIdentity ------------------------------------------------------------------------------

    private String assumeRoleWithWebIdentity(Map<String, List<String>> params, CallInfo call, String requestId) {
        String token = single(params, "WebIdentityToken");
        String durationText = single(params, "DurationSeconds");
        String providerId = single(params, "ProviderId");
        validateParameters(call, token, durationText, providerId);
        if (call.policy != null) {
            SessionPolicies.validate(call.policy);
        }
        WebIdentityTokenVerifier.VerifiedToken verified = verifier.verify(token);
        call.subject = verified.subject();
        LocalRole role = sts.role(call.roleArn).orElse(null);
        if (role == null) {
            LOG.info("LocalSts denies AssumeRoleWithWebIdentity: no role {}", call.roleArn);
            throw StsError.accessDenied(NOT_AUTHORIZED);
        }
        authorize(role, verified);
        int durationSeconds = call.durationSeconds != null ? call.durationSeconds
                : (int) LocalSts.DEFAULT_SESSION_DURATION.toSeconds();
        if (durationSeconds > role.maxSessionDuration().toSeconds()) {
            throw StsError.validation("The requested DurationSeconds exceeds the MaxSessionDuration set for this role.");
        }
        boolean packed = call.policy != null || !call.policyArns.isEmpty() || !verified.tags().isEmpty();
        int packedSize = SessionPolicies.packedSizePercent(call.policy, call.policyArns, verified.tags());
        if (packedSize > 100) {
            throw new StsError("PackedPolicyTooLarge", 400, "Packed policy consumes " + packedSize
                    + "% of allotted space, please use smaller policy.");
        }

        Instant now = sts.clock().instant().truncatedTo(ChronoUnit.SECONDS);
        Instant expiration = now.plus(Duration.ofSeconds(durationSeconds));
        String accessKeyId = sts.newAccessKeyId(() -> "ASIA" + random(KEY_ID_CHARACTERS, 16));
        String assumedRoleId = role.roleId() + ":" + call.sessionName;
        String assumedRoleArn = "arn:aws:sts::" + role.accountId() + ":assumed-role/" + role.name() + "/" + call.sessionName;
        IssuedSession session = new IssuedSession(accessKeyId, random(SECRET_CHARACTERS, 40), sessionToken(), role.arn(),
                call.sessionName, assumedRoleArn, assumedRoleId, now, expiration, call.policy, call.policyArns,
                verified.subject(), verified.provider().arn(), verified.audience(), verified.tags(),
                verified.transitiveTagKeys(), verified.sourceIdentity());
        sts.store(session);
        call.accessKeyId = accessKeyId;

        StsXml xml = StsXml.response("AssumeRoleWithWebIdentity")
                .element("    ", "SubjectFromWebIdentityToken", verified.subject())
                .element("    ", "Audience", verified.audience())
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
                .element("    ", "SourceIdentity", verified.sourceIdentity())
                .element("    ", "Provider", verified.provider().arn());
        if (packed) {
            xml.element("    ", "PackedPolicySize", packedSize);
        }
        LOG.debug("LocalSts issued {} for {} as {}", accessKeyId, verified.subject(), assumedRoleArn);
        return xml.finish("AssumeRoleWithWebIdentity", requestId);
    }

    /** Checks the parameters against the STS API model's constraints, reporting all violations as AWS does. */
    private static void validateParameters(CallInfo call, String token, String durationText, String providerId) {
        List<String> errors = new ArrayList<>();
        if (call.roleArn == null) {
            errors.add("Value null at 'roleArn' failed to satisfy constraint: Member must not be null");
        } else if (call.roleArn.length() < 20 || call.roleArn.length() > 2048) {
            errors.add("Value '" + call.roleArn + "' at 'roleArn' failed to satisfy constraint: Member must have length "
                    + (call.roleArn.length() < 20 ? "greater than or equal to 20" : "less than or equal to 2048"));
        }
        if (call.sessionName == null) {
            errors.add("Value null at 'roleSessionName' failed to satisfy constraint: Member must not be null");
        } else {
            if (call.sessionName.length() < 2 || call.sessionName.length() > 64) {
                errors.add("Value '" + call.sessionName + "' at 'roleSessionName' failed to satisfy constraint: Member must"
                        + " have length " + (call.sessionName.length() < 2 ? "greater than or equal to 2"
                        : "less than or equal to 64"));
            }
            if (!SESSION_NAME.matcher(call.sessionName).matches()) {
                errors.add("Value '" + call.sessionName + "' at 'roleSessionName' failed to satisfy constraint: Member must"
                        + " satisfy regular expression pattern: [\\w+=,.@-]*");
            }
        }
        // The token is never echoed, unlike other values.
        if (token == null) {
            errors.add("Value null at 'webIdentityToken' failed to satisfy constraint: Member must not be null");
        } else if (token.length() < 4 || token.length() > 20000) {
            errors.add("Value at 'webIdentityToken' failed to satisfy constraint: Member must have length "
                    + (token.length() < 4 ? "greater than or equal to 4" : "less than or equal to 20000"));
        }
        checkDurationAndPolicies(call, durationText, errors);
        for (int i = 0; i < call.policyArns.size(); i++) {
            String arn = call.policyArns.get(i);
            if (arn.length() < 20 || arn.length() > 2048) {
                errors.add("Value '" + arn + "' at 'policyArns." + (i + 1) + ".member.arn' failed to satisfy constraint:"
                        + " Member must have length " + (arn.length() < 20 ? "greater than or equal to 20"
                        : "less than or equal to 2048"));
            }
        }
        if (providerId != null && (providerId.length() < 4 || providerId.length() > 2048)) {
            errors.add("Value '" + providerId + "' at 'providerId' failed to satisfy constraint: Member must have length "
                    + (providerId.length() < 4 ? "greater than or equal to 4" : "less than or equal to 2048"));
        }
        if (!errors.isEmpty()) {
            throw StsError.validation(errors.size() + " validation error" + (errors.size() == 1 ? "" : "s")
                    + " detected: " + String.join("; ", errors));
        }
        if (providerId != null) {
            throw StsError.validation("LocalSts accepts OpenID Connect ID tokens only; ProviderId is for OAuth 2.0"
                    + " access tokens of www.amazon.com or graph.facebook.com: leave it out.");
        }
    }

    private static void authorize(LocalRole role, WebIdentityTokenVerifier.VerifiedToken verified) {
        String providerId = verified.provider().providerId().toLowerCase(Locale.ROOT);
        checkTrust(role, "sts:AssumeRoleWithWebIdentity", NOT_AUTHORIZED, verified.provider().arn(), verified.subject(),
                Map.of(providerId + ":aud", verified.audience(), providerId + ":sub", verified.subject()),
                !verified.tags().isEmpty(), verified.sourceIdentity() != null);
    }

    // The trust policy must allow the action itself, and sts:TagSession / sts:SetSourceIdentity when the
    // session carries tags / a source identity, as IAM requires.
    private static void checkTrust(LocalRole role, String assumeAction, String notAuthorized, String principalArn,
            String subject, Map<String, String> keys, boolean tags, boolean sourceIdentity) {
        List<String> actions = new ArrayList<>(List.of(assumeAction));
        if (tags) {
            actions.add("sts:TagSession");
        }
        if (sourceIdentity) {
            actions.add("sts:SetSourceIdentity");
        }
        for (String action : actions) {
            TrustPolicyEvaluator.Decision decision = TrustPolicyEvaluator.evaluate(role.trustPolicy(),
                    new TrustPolicyEvaluator.Request(principalArn, action, keys));
            switch (decision.outcome()) {
                case ALLOWED -> {
                    // Next action.
                }
                case UNSUPPORTED -> throw StsError.accessDenied(notAuthorized + ": " + decision.reason());
                case DENIED -> {
                    LOG.info("LocalSts denies {} on {} for {}: {}", action, role.arn(), subject, decision.reason());
                    throw StsError.accessDenied(action.equals(assumeAction) ? notAuthorized : "Not authorized to perform " + action);
                }
            }
        }
    }

    // --- AssumeRoleWithSAML -------------------------------------------------------------------------------------

    private String assumeRoleWithSaml(Map<String, List<String>> params, CallInfo call, String requestId) {
        String assertion = single(params, "SAMLAssertion");
        String principalArn = single(params, "PrincipalArn");
        String durationText = single(params, "DurationSeconds");
        call.sessionName = null; // AssumeRoleWithSAML takes the session name from the assertion
        validateSamlParameters(call, principalArn, assertion, durationText);
        if (call.policy != null) {
            SessionPolicies.validate(call.policy);
        }
        SamlAssertionVerifier.VerifiedAssertion verified = samlVerifier.verify(assertion, call.roleArn, principalArn);
        call.subject = verified.subject();
        call.sessionName = verified.roleSessionName();
        LocalRole role = sts.role(call.roleArn).orElse(null);
        if (role == null) {
            LOG.info("LocalSts denies AssumeRoleWithSAML: no role {}", call.roleArn);
            throw StsError.accessDenied(NOT_AUTHORIZED_SAML);
        }
        authorizeSaml(role, verified);
        int requested = call.durationSeconds != null ? call.durationSeconds
                : verified.sessionDuration() != null ? verified.sessionDuration()
                : (int) LocalSts.DEFAULT_SESSION_DURATION.toSeconds();
        if (requested > role.maxSessionDuration().toSeconds()) {
            throw StsError.validation("The requested DurationSeconds exceeds the MaxSessionDuration set for this role.");
        }
        boolean packed = call.policy != null || !call.policyArns.isEmpty() || !verified.tags().isEmpty();
        int packedSize = SessionPolicies.packedSizePercent(call.policy, call.policyArns, verified.tags());
        if (packedSize > 100) {
            throw new StsError("PackedPolicyTooLarge", 400, "Packed policy consumes " + packedSize
                    + "% of allotted space, please use smaller policy.");
        }

        Instant now = sts.clock().instant().truncatedTo(ChronoUnit.SECONDS);
        // The session ends at the earliest of what was asked for, the IdP's SessionDuration and its SessionNotOnOrAfter.
        Instant expiration = now.plus(Duration.ofSeconds(requested));
        if (verified.sessionDuration() != null && now.plusSeconds(verified.sessionDuration()).isBefore(expiration)) {
            expiration = now.plusSeconds(verified.sessionDuration());
        }
        if (verified.sessionNotOnOrAfter() != null && verified.sessionNotOnOrAfter().isBefore(expiration)) {
            expiration = verified.sessionNotOnOrAfter().truncatedTo(ChronoUnit.SECONDS);
        }
        String accessKeyId = sts.newAccessKeyId(() -> "ASIA" + random(KEY_ID_CHARACTERS, 16));
        String assumedRoleId = role.roleId() + ":" + verified.roleSessionName();
        String assumedRoleArn = "arn:aws:sts::" + role.accountId() + ":assumed-role/" + role.name() + "/"
                + verified.roleSessionName();
        IssuedSession session = new IssuedSession(accessKeyId, random(SECRET_CHARACTERS, 40), sessionToken(), role.arn(),
                verified.roleSessionName(), assumedRoleArn, assumedRoleId, now, expiration, call.policy, call.policyArns,
                verified.subject(), verified.provider().arn(), verified.recipient(), verified.tags(),
                verified.transitiveTagKeys(), verified.sourceIdentity());
        sts.store(session);
        call.accessKeyId = accessKeyId;

        StsXml xml = StsXml.response("AssumeRoleWithSAML")
                .element("    ", "Audience", verified.recipient())
                .open("    ", "AssumedRoleUser")
                .element("      ", "AssumedRoleId", assumedRoleId)
                .element("      ", "Arn", assumedRoleArn)
                .close("    ", "AssumedRoleUser")
                .open("    ", "Credentials")
                .element("      ", "AccessKeyId", accessKeyId)
                .element("      ", "SecretAccessKey", session.secretAccessKey())
                .element("      ", "SessionToken", session.sessionToken())
                .element("      ", "Expiration", expiration.toString())
                .close("    ", "Credentials")
                .element("    ", "Issuer", verified.issuer())
                .element("    ", "NameQualifier", verified.nameQualifier())
                .element("    ", "Subject", verified.subject())
                .element("    ", "SubjectType", verified.subjectType())
                .element("    ", "SourceIdentity", verified.sourceIdentity());
        if (packed) {
            xml.element("    ", "PackedPolicySize", packedSize);
        }
        LOG.debug("LocalSts issued {} for {} as {} (SAML)", accessKeyId, verified.subject(), assumedRoleArn);
        return xml.finish("AssumeRoleWithSAML", requestId);
    }

    /** Checks AssumeRoleWithSAML's parameters against the STS API model's constraints. */
    // The limits every AssumeRole* action shares, with STS's own wording (SDK service model).
    private static void checkDurationAndPolicies(CallInfo call, String durationText, List<String> errors) {
        if (durationText != null) {
            if (call.durationSeconds == null) {
                errors.add("Value '" + durationText + "' at 'durationSeconds' failed to satisfy constraint: Member must be"
                        + " an integer");
            } else if (call.durationSeconds < 900 || call.durationSeconds > 43200) {
                errors.add("Value '" + durationText + "' at 'durationSeconds' failed to satisfy constraint: Member must have"
                        + " value " + (call.durationSeconds < 900 ? "greater than or equal to 900" : "less than or equal to 43200"));
            }
        }
        if (call.policy != null) {
            if (call.policy.length() > 2048) {
                errors.add("Value at 'policy' failed to satisfy constraint: Member must have length less than or equal"
                        + " to 2048");
            }
            if (!POLICY_CHARACTERS.matcher(call.policy).matches()) {
                errors.add("Value at 'policy' failed to satisfy constraint: Member must satisfy regular expression"
                        + " pattern: [\\u0009\\u000A\\u000D\\u0020-\\u00FF]+");
            }
        }
        if (call.policyArns.size() > 10) {
            errors.add("Value at 'policyArns' failed to satisfy constraint: Member must have length less than or equal"
                    + " to 10");
        }
    }

    private static void validateSamlParameters(CallInfo call, String principalArn, String assertion, String durationText) {
        List<String> errors = new ArrayList<>();
        for (String[] arn : new String[][] {{"roleArn", call.roleArn}, {"principalArn", principalArn}}) {
            if (arn[1] == null) {
                errors.add("Value null at '" + arn[0] + "' failed to satisfy constraint: Member must not be null");
            } else if (arn[1].length() < 20 || arn[1].length() > 2048) {
                errors.add("Value '" + arn[1] + "' at '" + arn[0] + "' failed to satisfy constraint: Member must have length "
                        + (arn[1].length() < 20 ? "greater than or equal to 20" : "less than or equal to 2048"));
            }
        }
        // The assertion is never echoed.
        if (assertion == null) {
            errors.add("Value null at 'sAMLAssertion' failed to satisfy constraint: Member must not be null");
        } else if (assertion.length() < 4 || assertion.length() > 100000) {
            errors.add("Value at 'sAMLAssertion' failed to satisfy constraint: Member must have length "
                    + (assertion.length() < 4 ? "greater than or equal to 4" : "less than or equal to 100000"));
        }
        checkDurationAndPolicies(call, durationText, errors);
        if (!errors.isEmpty()) {
            throw StsError.validation(errors.size() + " validation error" + (errors.size() == 1 ? "" : "s")
                    + " detected: " + String.join("; ", errors));
        }
    }

    /** Checks the role's trust policy for AssumeRoleWithSAML; the console stand-in checks the same. */
    static void authorizeSaml(LocalRole role, SamlAssertionVerifier.VerifiedAssertion verified) {
        checkTrust(role, "sts:AssumeRoleWithSAML", NOT_AUTHORIZED_SAML, verified.provider().arn(), verified.subject(),
                Map.of("saml:aud", verified.recipient(), "saml:sub", verified.subject(), "saml:sub_type", verified.subjectType(),
                        "saml:iss", verified.issuer(), "saml:namequalifier", verified.nameQualifier()),
                !verified.tags().isEmpty(), verified.sourceIdentity() != null);
    }

    // --- GetCallerIdentity --------------------------------------------------------------------------------------

    private String getCallerIdentity(HttpExchange exchange, byte[] body, CallInfo call, String requestId) {
        SigV4Verifier.Authorization authorization =
                SigV4Verifier.parse(exchange.getRequestHeaders().getFirst("Authorization"));
        call.accessKeyId = authorization.accessKeyId();
        IssuedSession session = sts.session(authorization.accessKeyId()).orElseThrow(() -> new StsError(
                "InvalidClientTokenId", 403, "The security token included in the request is invalid."));
        call.roleArn = session.roleArn();
        call.sessionName = session.roleSessionName();
        call.subject = session.subject();
        String token = exchange.getRequestHeaders().getFirst("X-Amz-Security-Token");
        if (token == null || !java.security.MessageDigest.isEqual(token.getBytes(StandardCharsets.UTF_8),
                session.sessionToken().getBytes(StandardCharsets.UTF_8))) {
            throw new StsError("InvalidClientTokenId", 403, "The security token included in the request is invalid.");
        }
        SigV4Verifier.verify(authorization, session.secretAccessKey(), exchange.getRequestMethod(),
                exchange.getRequestURI(), name -> exchange.getRequestHeaders().get(name), body, "sts");
        if (session.isExpiredAt(sts.clock().instant())) {
            throw new StsError("ExpiredToken", 403, "The security token included in the request is expired");
        }
        String accountId = session.assumedRoleArn().split(":")[4];
        return StsXml.response("GetCallerIdentity")
                .element("    ", "Arn", session.assumedRoleArn())
                .element("    ", "UserId", session.assumedRoleId())
                .element("    ", "Account", accountId)
                .finish("GetCallerIdentity", requestId);
    }

    // --- Helpers ------------------------------------------------------------------------------------------------

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

    private static List<String> policyArns(Map<String, List<String>> params) {
        Map<Integer, String> byIndex = new TreeMap<>();
        for (Map.Entry<String, List<String>> entry : params.entrySet()) {
            Matcher matcher = POLICY_ARN_PARAMETER.matcher(entry.getKey());
            if (matcher.matches() && !entry.getValue().isEmpty() && matcher.group(1).length() < 6) {
                byIndex.put(Integer.parseInt(matcher.group(1)), entry.getValue().get(0));
            }
        }
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

    /** An opaque token about as long as AWS's; it begins like AWS's ("IQoJb3JpZ2luX2Vj", "!\n\torigin_ec"). */
    private static String sessionToken() {
        byte[] bytes = new byte[270];
        RANDOM.nextBytes(bytes);
        return "IQoJb3JpZ2luX2Vj" + Base64.getEncoder().encodeToString(bytes);
    }
}
