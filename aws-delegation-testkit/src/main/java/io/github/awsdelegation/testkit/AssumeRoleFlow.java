package io.github.awsdelegation.testkit;

import io.github.awsdelegation.testkit.iam.PolicyEvaluator;
import io.github.awsdelegation.testkit.internal.RandomIds;
import io.github.awsdelegation.testkit.internal.SessionPolicies;
import io.github.awsdelegation.testkit.internal.StsError;
import io.github.awsdelegation.testkit.internal.TrustPolicyEvaluator;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one path of every STS {@code AssumeRole*} action in {@link LocalSts}, a step each:
 * <ol>
 *   <li><b>parameters</b> — the STS model's constraints on the members (one {@code ValidationError} naming all) and
 *       the session policy's syntax ({@code MalformedPolicyDocument});</li>
 *   <li><b>proof</b> — the action's own: the web identity token, the SAML assertion, or the SigV4-signed caller;</li>
 *   <li><b>role</b> — the role must exist ({@code AccessDenied} otherwise, worded as for a trust refusal);</li>
 *   <li><b>trust</b> — the role's trust policy must allow the action, and {@code sts:TagSession} /
 *       {@code sts:SetSourceIdentity} when the session carries tags / a source identity;</li>
 *   <li><b>limits</b> — the duration (asked, else asserted, else 1 hour; at most the role's maximum and, for role
 *       chaining, 1 hour) and the packed size of session policy, policy ARNs and tags;</li>
 *   <li><b>mint</b> — new credentials, stored so that later signed calls authenticate with them;</li>
 *   <li><b>answer</b> — the action's XML result.</li>
 * </ol>
 * An action is a configuration of this path ({@link Action}, {@link StsActions}); the console sign-in stand-in runs the proof, role,
 * trust and duration steps for each role an assertion offers ({@link #plan}).
 */
final class AssumeRoleFlow {

    private static final Logger LOG = LoggerFactory.getLogger(AssumeRoleFlow.class);
    private static final Duration ROLE_CHAINING_LIMIT = Duration.ofHours(1);

    /** What the proof step established about who asks; the later steps read only this. */
    interface Proof {

        /** Returns who asks, for logs: the token's or assertion's subject, or the caller's ARN. */
        String who();

        /** Returns the subject recorded with the session ({@code sub}, the NameID), or null. */
        String subject();

        /** Returns the provider ARN recorded with the session, or null. */
        String providerArn();

        /** Returns the audience recorded with the session, or null. */
        String audience();

        /** Returns the role session name: the request's {@code requested} one, or the assertion's for SAML. */
        default String roleSessionName(String requested) {
            return requested;
        }

        /** Returns what the trust policy is asked for {@code action}. */
        TrustPolicyEvaluator.Request trustRequest(String action);

        /** Returns STS's AccessDenied message for {@code action} on {@code roleArn}. */
        String notAuthorized(String action, String roleArn);

        /** Returns the session tags, inherited ones included. */
        Map<String, String> tags();

        /** Returns the transitive tag keys, inherited ones included. */
        List<String> transitiveTagKeys();

        /** Returns whether the request itself sets tags (it needs {@code sts:TagSession}). */
        default boolean setsTags() {
            return !tags().isEmpty();
        }

        /** Returns the source identity, or null. */
        String sourceIdentity();

        /** Returns whether the request itself sets the source identity (it needs {@code sts:SetSourceIdentity}). */
        default boolean setsSourceIdentity() {
            return sourceIdentity() != null;
        }

        /** Returns the identity provider's {@code SessionDuration} in seconds, or null. */
        default Integer assertedDuration() {
            return null;
        }

        /** Returns the latest end of the session the identity provider allows, or null. */
        default Instant sessionNotOnOrAfter() {
            return null;
        }

        /** Returns whether the caller is itself a role session (role chaining: at most 1 hour). */
        default boolean chained() {
            return false;
        }
    }

    /** The proof of a federated principal (a token or an assertion of a registered identity provider). */
    interface FederatedProof extends Proof {

        /** Returns the subject: who asks. */
        @Override
        default String who() {
            return subject();
        }

        /** Returns STS's message for federated principals, which names neither the subject nor the role. */
        @Override
        default String notAuthorized(String action, String roleArn) {
            return "Not authorized to perform " + action;
        }
    }

    /**
     * One {@code AssumeRole*} action as a configuration of the flow (see {@link StsActions}).
     *
     * @param name the action's name, for example {@code AssumeRoleWithWebIdentity}; the trust action is
     *     {@code sts:<name>}
     * @param members adds the constraints of the action's own members
     * @param proof verifies the proof the request brings
     * @param answerHead adds the answer's elements before {@code AssumedRoleUser}
     * @param answerTail adds the answer's elements after {@code Credentials}, before {@code SourceIdentity}
     */
    record Action<P extends Proof>(String name, BiConsumer<StsRequest, StsRequest.Constraints> members,
            Function<StsRequest, P> proof, BiConsumer<P, StsXml> answerHead, BiConsumer<P, StsXml> answerTail) {
    }

    /** A session the limits step allowed: the role, its name and when it ends. */
    record Plan(LocalRole role, String roleSessionName, String assumedRoleArn, String assumedRoleId, Instant issuedAt,
            Instant expiration) {

        Duration duration() {
            return Duration.between(issuedAt, expiration);
        }
    }

    private final LocalSts sts;

    AssumeRoleFlow(LocalSts sts) {
        this.sts = sts;
    }

    /** Runs every step for {@code action} and returns the XML answer; the call's record is filled in as it goes. */
    <P extends Proof> String run(Action<P> action, StsRequest request, String requestId) {
        // Step 1: parameters.
        StsRequest.Constraints constraints = new StsRequest.Constraints()
                .required("roleArn", request.roleArn(), 20, 2048, false);
        action.members().accept(request, constraints);
        constraints.durationAndPolicies(request).check();
        if (request.policy() != null) {
            SessionPolicies.validate(request.policy());
        }
        // Step 2: proof.
        P proof = action.proof().apply(request);
        request.recordedSubject = proof.subject();
        request.recordedSessionName = proof.roleSessionName(request.roleSessionName());
        // Steps 3-5: role, trust, limits.
        String trustAction = "sts:" + action.name();
        Plan plan = plan(proof, trustAction, request.roleArn(), request.durationSeconds(), request.roleSessionName(),
                LocalSts.DEFAULT_SESSION_DURATION);
        int packedSize = SessionPolicies.packedSizePercent(request.policy(), request.policyArns(), proof.tags());
        if (packedSize > 100) {
            throw new StsError("PackedPolicyTooLarge", 400, "Packed policy consumes " + packedSize
                    + "% of allotted space, please use smaller policy.");
        }
        // Step 6: mint.
        IssuedSession session = mint(plan, proof, request.policy(), request.policyArns());
        request.recordedAccessKeyId = session.accessKeyId();
        // Step 7: answer.
        StsXml xml = StsXml.response(action.name());
        action.answerHead().accept(proof, xml);
        xml.open("    ", "AssumedRoleUser")
                .element("      ", "Arn", plan.assumedRoleArn())
                .element("      ", "AssumedRoleId", plan.assumedRoleId())
                .close("    ", "AssumedRoleUser")
                .open("    ", "Credentials")
                .element("      ", "AccessKeyId", session.accessKeyId())
                .element("      ", "SecretAccessKey", session.secretAccessKey())
                .element("      ", "SessionToken", session.sessionToken())
                .element("      ", "Expiration", session.expiration().toString())
                .close("    ", "Credentials");
        action.answerTail().accept(proof, xml);
        xml.element("    ", "SourceIdentity", proof.sourceIdentity());
        if (request.policy() != null || !request.policyArns().isEmpty() || !proof.tags().isEmpty()) {
            xml.element("    ", "PackedPolicySize", packedSize);
        }
        LOG.debug("LocalSts issued {} for {} as {}", session.accessKeyId(), proof.who(), plan.assumedRoleArn());
        return xml.finish(action.name(), requestId);
    }

    /**
     * The role, trust and limits steps: what the console sign-in stand-in runs for each role an assertion offers,
     * and {@link #run} for every action.
     *
     * @param requestedSeconds {@code DurationSeconds}, or null
     * @param roleSessionName the request's {@code RoleSessionName} (unused when the proof names the session)
     * @param defaultDuration the duration when neither the request nor the proof names one
     */
    Plan plan(Proof proof, String trustAction, String roleArn, Integer requestedSeconds, String roleSessionName,
            Duration defaultDuration) {
        LocalRole role = sts.role(roleArn).orElse(null);
        if (role == null) {
            LOG.info("LocalSts denies {} to {}: no role {}", trustAction, proof.who(), roleArn);
            throw StsError.accessDenied(proof.notAuthorized(trustAction, roleArn));
        }
        trust(role, proof, trustAction);
        Duration duration = requestedSeconds != null ? Duration.ofSeconds(requestedSeconds)
                : proof.assertedDuration() != null ? Duration.ofSeconds(proof.assertedDuration()) : defaultDuration;
        if (proof.chained() && duration.compareTo(ROLE_CHAINING_LIMIT) > 0) {
            throw StsError.validation("The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by"
                    + " role chaining.");
        }
        if (duration.compareTo(role.maxSessionDuration()) > 0) {
            throw StsError.validation("The requested DurationSeconds exceeds the MaxSessionDuration set for this role.");
        }
        Instant now = sts.clock().instant().truncatedTo(ChronoUnit.SECONDS);
        // The session ends at the earliest of what was asked for, the IdP's SessionDuration and its SessionNotOnOrAfter.
        Instant expiration = now.plus(duration);
        if (proof.assertedDuration() != null && now.plusSeconds(proof.assertedDuration()).isBefore(expiration)) {
            expiration = now.plusSeconds(proof.assertedDuration());
        }
        if (proof.sessionNotOnOrAfter() != null && proof.sessionNotOnOrAfter().isBefore(expiration)) {
            expiration = proof.sessionNotOnOrAfter().truncatedTo(ChronoUnit.SECONDS);
        }
        String sessionName = proof.roleSessionName(roleSessionName);
        return new Plan(role, sessionName, role.assumedRoleArn(sessionName), role.roleId() + ":" + sessionName, now,
                expiration);
    }

    // The trust policy must allow the action itself, and sts:TagSession / sts:SetSourceIdentity when the
    // session carries tags / a source identity, as IAM requires.
    private static void trust(LocalRole role, Proof proof, String trustAction) {
        List<String> actions = new ArrayList<>(List.of(trustAction));
        if (proof.setsTags()) {
            actions.add("sts:TagSession");
        }
        if (proof.setsSourceIdentity()) {
            actions.add("sts:SetSourceIdentity");
        }
        for (String action : actions) {
            PolicyEvaluator.Decision decision = TrustPolicyEvaluator.evaluate(role.trustPolicy(),
                    proof.trustRequest(action));
            switch (decision.outcome()) {
                case ALLOWED -> {
                    // Next action.
                }
                case UNSUPPORTED -> throw StsError.accessDenied(proof.notAuthorized(action, role.arn()) + ": "
                        + decision.reason());
                case IMPLICIT_DENY, EXPLICIT_DENY -> {
                    LOG.info("LocalSts denies {} on {} for {}: {}", action, role.arn(), proof.who(), decision.reason());
                    throw StsError.accessDenied(proof.notAuthorized(action, role.arn()));
                }
            }
        }
    }

    private IssuedSession mint(Plan plan, Proof proof, String policy, List<String> policyArns) {
        String accessKeyId = sts.newAccessKeyId(RandomIds::temporaryAccessKeyId);
        IssuedSession session = new IssuedSession(accessKeyId, RandomIds.secretAccessKey(), RandomIds.sessionToken(),
                plan.role().arn(), plan.roleSessionName(), plan.assumedRoleArn(), plan.assumedRoleId(), plan.issuedAt(),
                plan.expiration(), policy, policyArns, proof.subject(), proof.providerArn(), proof.audience(), proof.tags(),
                proof.transitiveTagKeys(), proof.sourceIdentity());
        sts.store(session);
        return session;
    }
}
