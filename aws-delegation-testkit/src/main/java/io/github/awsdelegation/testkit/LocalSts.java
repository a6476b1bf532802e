package io.github.awsdelegation.testkit;

import io.github.awsdelegation.testkit.internal.LoopbackHttpServer;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A local AWS Security Token Service on 127.0.0.1 that speaks the real STS Query protocol (form-encoded
 * {@code Action=...&Version=2011-06-15} requests, XML answers in the {@value #NAMESPACE} namespace, AWS's error
 * codes and HTTP statuses), so the AWS SDK's {@code StsClient} works against it unchanged with
 * {@code endpointOverride(sts.endpoint())}.
 *
 * <p>Implemented actions: <b>AssumeRoleWithWebIdentity</b> (an OIDC ID token of a registered provider, discovery
 * and JWKS fetched on every call, RS256 only, no clock leeway), <b>AssumeRoleWithSAML</b> (a SAML response of the
 * IAM SAML provider named by {@code PrincipalArn}, registered from IdP metadata as IAM CreateSAMLProvider does) and
 * <b>AssumeRole</b> (signed with an access key registered with {@link #addAccessKey}, or with credentials this STS
 * issued: role chaining) go through one flow — the STS model's constraints ({@code ValidationError}), the session
 * policy ({@code MalformedPolicyDocument}), the action's proof ({@code InvalidIdentityToken},
 * {@code ExpiredTokenException}, {@code IDPCommunicationError}, {@code IDPRejectedClaim}, signature errors), the
 * role's trust policy ({@code AccessDenied}; a documented subset of IAM, outside which it fails closed), the
 * duration and packed-size limits ({@code PackedPolicyTooLarge}) — described in {@code docs/testkit.md}.
 * <b>GetCallerIdentity</b> answers for credentials it issued, with full SigV4 verification (the request time is not
 * compared with the clock: the SDK signs with the system clock while tests may give the STS a fake one). Other STS
 * actions answer {@code InvalidAction}. Permission policies are enforced by
 * {@link io.github.awsdelegation.testkit.s3.LocalS3} and {@link io.github.awsdelegation.testkit.apigateway.LocalPetsApi},
 * not by the STS.
 *
 * <p>Observation and faults: {@link #calls()}, {@link #callCount(String)}, {@link #setFault(Fault)}. Thread-safe.
 * Stop it with {@link #close()}; connections are refused afterwards.
 */
public final class LocalSts implements AutoCloseable {

    /** The default account id: {@value}. */
    public static final String DEFAULT_ACCOUNT_ID = "123456789012";
    /** The STS API version: {@value}. */
    public static final String API_VERSION = "2011-06-15";
    /** The XML namespace of STS answers: {@value}. */
    public static final String NAMESPACE = "https://sts.amazonaws.com/doc/2011-06-15/";
    /** The session duration when {@code DurationSeconds} is absent: 1 hour. */
    public static final Duration DEFAULT_SESSION_DURATION = Duration.ofHours(1);

    /** The path of the console sign-in stand-in: {@value}. */
    static final String CONSOLE_SIGN_IN_PATH = "/saml";

    /** The User-Agent of the STS's own discovery and JWKS requests, which the local IdP leaves out of its counts. */
    static final String USER_AGENT = "aws-delegation-testkit-LocalSts";

    private static final Logger LOG = LoggerFactory.getLogger(LocalSts.class);

    private final String accountId;
    private final Clock clock;
    private final StsAccount account;
    private final Map<String, IssuedSession> sessions = new ConcurrentHashMap<>();
    private final List<StsCall> calls = Collections.synchronizedList(new ArrayList<>());
    private final FaultSchedule faults = new FaultSchedule();
    private final LoopbackHttpServer server;

    LocalSts(LocalStsBuilder builder) {
        this.accountId = builder.accountId;
        this.clock = builder.clock;
        this.account = new StsAccount(accountId);
        builder.providers.forEach((issuer, clientIds) -> addOidcProvider(issuer, clientIds.toArray(String[]::new)));
        builder.samlProviders.forEach(this::addSamlProvider);
        builder.roles.forEach(this::addRole);
        builder.managedPolicies.forEach(this::addManagedPolicy);
        builder.accessKeys.forEach(key -> addAccessKey(key.accessKeyId(), key.secretAccessKey(), key.principalArn()));
        this.server = LoopbackHttpServer.start("local-sts", builder.port, new StsEndpoints(this));
        LOG.info("LocalSts started at {}", endpoint());
    }

    /** Returns a builder. */
    public static LocalStsBuilder builder() {
        return new LocalStsBuilder();
    }

    /** Returns the endpoint for {@code StsClient.builder().endpointOverride(...)}: {@code http://127.0.0.1:<port>}. */
    public URI endpoint() {
        return server.uri("");
    }

    /**
     * Returns the stand-in for AWS's console sign-in endpoint, {@code http://127.0.0.1:<port>/saml}: point an app's
     * console sign-in at it ({@code saml.console.signInUrl}) and the browser's SAML POST is verified as AWS's sign-in
     * would verify it (the same checks as {@code AssumeRoleWithSAML}, then the role's trust policy), answering a page
     * with the console session AWS would open (role, assumed-role ARN, session name, duration) or AWS's refusal.
     */
    public URI consoleSignInUrl() {
        return server.uri(CONSOLE_SIGN_IN_PATH);
    }

    /** Returns the bound port. */
    public int port() {
        return server.port();
    }

    /** Returns the account id. */
    public String accountId() {
        return accountId;
    }

    /** Returns the clock the STS reads time from. */
    public Clock clock() {
        return clock;
    }

    /**
     * Returns the IAM id of an OIDC provider: the issuer without scheme and trailing slash, e.g.
     * {@code 127.0.0.1:8080} for {@code http://127.0.0.1:8080/}. Condition keys are {@code <id>:aud} and {@code <id>:sub}.
     */
    public static String oidcProviderId(URI issuer) {
        String id = issuer.getRawAuthority() + (issuer.getRawPath() == null ? "" : issuer.getRawPath());
        while (id.endsWith("/")) {
            id = id.substring(0, id.length() - 1);
        }
        return id;
    }

    /** Returns the IAM ARN of an OIDC provider: {@code arn:aws:iam::<account>:oidc-provider/<provider id>}. */
    public static String oidcProviderArn(String accountId, URI issuer) {
        return "arn:aws:iam::" + accountId + ":oidc-provider/" + oidcProviderId(issuer);
    }

    /** Returns the ARN of an OIDC provider in this STS's account. */
    public String oidcProviderArn(URI issuer) {
        return oidcProviderArn(accountId, issuer);
    }

    /**
     * Registers (or replaces) an OIDC provider, as IAM CreateOpenIDConnectProvider does.
     *
     * @param issuer the issuer URL; it must be on 127.0.0.1 or localhost (the testkit talks to nothing else)
     * @param clientIds the accepted audiences (IAM's ClientIDList), at least one
     * @throws IllegalArgumentException naming the offending value
     */
    public void addOidcProvider(URI issuer, String... clientIds) {
        account.addOidcProvider(issuer, oidcProviderId(issuer), oidcProviderArn(issuer), clientIds);
    }

    /**
     * Registers (or replaces) an IAM SAML provider from an identity provider's metadata, as IAM CreateSAMLProvider
     * does: its entity ID and signing certificates are what AssumeRoleWithSAML checks assertions against.
     *
     * @param providerArn the provider's ARN in this STS's account, {@code arn:aws:iam::<account>:saml-provider/<name>}
     * @param metadataXml the IdP's SAML 2.0 metadata (UTF-8, no byte order mark), with at least one signing certificate
     * @throws IllegalArgumentException with IAM's "Could not parse metadata" and the reason, or naming the wrong ARN
     */
    public void addSamlProvider(String providerArn, String metadataXml) {
        account.addSamlProvider(SamlProvider.parse(providerArn, metadataXml));
    }

    /** Removes a SAML provider; returns whether it existed. */
    public boolean removeSamlProvider(String providerArn) {
        return account.removeSamlProvider(providerArn);
    }

    /** Returns the entity ID of a registered SAML provider. */
    public Optional<String> samlProviderEntityId(String providerArn) {
        return account.samlProvider(providerArn).map(SamlProvider::entityId);
    }

    /**
     * Adds (or replaces) a role.
     *
     * @throws IllegalArgumentException when the role belongs to another account
     */
    public void addRole(LocalRole role) {
        account.addRole(role);
    }

    /**
     * Registers (or replaces) a customer managed policy, so that sessions may name it in {@code PolicyArns}; the local
     * S3 and API Gateway evaluate it as a session policy.
     *
     * @param policyArn {@code arn:aws:iam::<account>:policy/<name>}
     * @param json the policy document
     */
    public void addManagedPolicy(String policyArn, String json) {
        account.addManagedPolicy(policyArn, json);
    }

    /** Returns the document of a managed policy registered with {@link #addManagedPolicy}. */
    public Optional<String> managedPolicy(String policyArn) {
        return account.managedPolicy(policyArn);
    }

    /**
     * A long-term access key of an IAM user, with which a caller signs STS AssumeRole (an app that runs with AWS
     * credentials of its own). {@link #toString()} leaves out the secret.
     *
     * @param accessKeyId the access key id, {@code AKIA...}
     * @param secretAccessKey the secret access key
     * @param principalArn the user's ARN, {@code arn:aws:iam::<account>:user/<name>}, which trust policies name in
     *     {@code Principal.AWS}
     */
    public record AccessKey(String accessKeyId, String secretAccessKey, String principalArn) {

        @Override
        public String toString() {
            return "AccessKey[accessKeyId=" + accessKeyId + ", principalArn=" + principalArn + "]";
        }
    }

    /**
     * Registers (or replaces) an IAM user's long-term access key, accepted for STS AssumeRole.
     *
     * @throws IllegalArgumentException when a value is malformed
     */
    public void addAccessKey(String accessKeyId, String secretAccessKey, String principalArn) {
        account.addAccessKey(new AccessKey(accessKeyId, secretAccessKey, principalArn));
    }

    /** Returns a registered long-term access key. */
    public Optional<AccessKey> accessKey(String accessKeyId) {
        return account.accessKey(accessKeyId);
    }

    /** Removes a role; returns whether it existed. */
    public boolean removeRole(String roleArn) {
        return account.removeRole(roleArn);
    }

    /** Returns the role with this ARN. */
    public Optional<LocalRole> role(String roleArn) {
        return account.role(roleArn);
    }

    /** Returns the session whose credentials have this access key id, expired or not. */
    public Optional<IssuedSession> session(String accessKeyId) {
        return Optional.ofNullable(accessKeyId == null ? null : sessions.get(accessKeyId));
    }

    /** Returns all sessions issued so far. */
    public List<IssuedSession> sessions() {
        return List.copyOf(sessions.values());
    }

    /** Returns the calls answered so far, oldest first. */
    public List<StsCall> calls() {
        synchronized (calls) {
            return List.copyOf(calls);
        }
    }

    /** Returns how many calls of this action (e.g. {@code AssumeRoleWithWebIdentity}) were answered, failed or not. */
    public int callCount(String action) {
        return (int) calls().stream().filter(call -> Objects.equals(action, call.action())).count();
    }

    /** Forgets the recorded calls. */
    public void resetCalls() {
        calls.clear();
    }

    /** Applies {@code fault} to every call from now on; {@link Fault#NONE} ends it. */
    public void setFault(Fault fault) {
        faults.set(fault);
    }

    /**
     * Applies {@code fault} to the next {@code calls} calls only, then answers as before (e.g. one throttle, then
     * success: how a retry is tested).
     */
    public void setFault(Fault fault, int calls) {
        faults.set(fault, calls);
    }

    /** Returns the fault that applies to every call ({@link Fault#NONE} when none). */
    public Fault fault() {
        return faults.standing();
    }

    /** Stops the server; the same as {@link #close()}. */
    public void stop() {
        close();
    }

    /** Stops the server; new connections are refused afterwards. */
    @Override
    public void close() {
        server.close();
    }

    @Override
    public String toString() {
        return "LocalSts[endpoint=" + endpoint() + ", account=" + accountId + ", roles=" + account.roleArns() + "]";
    }

    // Package-private state for the endpoints.

    Optional<OidcProvider> providerById(String providerId) {
        return account.oidcProvider(providerId);
    }

    Optional<SamlProvider> samlProviderByArn(String providerArn) {
        return account.samlProvider(providerArn);
    }

    Fault takeFault() {
        return faults.take();
    }

    void record(StsCall call) {
        calls.add(call);
    }

    void store(IssuedSession session) {
        sessions.put(session.accessKeyId(), session);
    }

    /** Returns a new access key id from {@code generator} that is not in use yet. */
    String newAccessKeyId(Supplier<String> generator) {
        String id;
        do {
            id = generator.get();
        } while (sessions.containsKey(id));
        return id;
    }
}
