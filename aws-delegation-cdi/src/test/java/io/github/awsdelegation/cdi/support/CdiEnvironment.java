package io.github.awsdelegation.cdi.support;

import io.github.awsdelegation.testkit.Demo;
import io.github.awsdelegation.testkit.IssuedSession;
import io.github.awsdelegation.testkit.LocalAws;
import io.github.awsdelegation.testkit.LocalIdentityProvider;
import io.github.awsdelegation.testkit.LocalRole;
import io.github.awsdelegation.testkit.LocalSts;
import java.net.URI;
import java.util.List;

/**
 * The real things the integration tests run against, started once per test JVM on 127.0.0.1 and stopped with
 * it: the testkit's OIDC provider and STS (with the demo roles, and a role of short sessions, so that a refresh
 * can be watched), and a {@link SigV4Endpoint} that accepts requests signed with the credentials that STS issued.
 */
public final class CdiEnvironment {

    /**
     * A role whose sessions last 15 minutes: with the WAR's refreshAhead of 899s and minimumValidity of 897s (refresh
     * points between 899 s and 898 s before expiry), refreshed by a request one to two seconds after issue.
     */
    public static final String SHORT_ROLE_ARN = "arn:aws:iam::123456789012:role/pet-shop-short";

    /**
     * A harmless role that has the admin role's name; the rule bean sandbox grants it. In AWS it would be in a sandbox
     * account; the local STS has one account, so a path stands in for the other account: only the ARN tells it apart.
     */
    public static final String SANDBOX_ADMIN_ROLE_ARN = "arn:aws:iam::123456789012:role/sandbox/pet-shop-admin";

    private static CdiEnvironment instance;

    private final LocalAws aws;
    private final SigV4Endpoint endpoint;

    private CdiEnvironment() {
        aws = LocalAws.builder().start();
        aws.sts().addRole(LocalRole.trustingOidc(SHORT_ROLE_ARN, aws.identityProvider().issuer(), Demo.CLIENT_ID));
        aws.sts().addRole(LocalRole.trustingOidc(SANDBOX_ADMIN_ROLE_ARN, aws.identityProvider().issuer(), Demo.CLIENT_ID));
        endpoint = SigV4Endpoint.start(accessKeyId -> aws.sts().session(accessKeyId)
                .map(s -> new SigV4Endpoint.Secret(s.secretAccessKey(), s.sessionToken(), s.assumedRoleArn())));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            endpoint.close();
            aws.close();
        }, "cdi-it-environment-shutdown"));
    }

    /** Returns the environment, starting it on first use. */
    public static synchronized CdiEnvironment get() {
        if (instance == null) {
            instance = new CdiEnvironment();
        }
        return instance;
    }

    /** Returns the OIDC provider. */
    public LocalIdentityProvider identityProvider() {
        return aws.identityProvider();
    }

    /** Returns the STS. */
    public LocalSts sts() {
        return aws.sts();
    }

    /** Returns the endpoint standing for S3 and API Gateway. */
    public SigV4Endpoint endpoint() {
        return endpoint;
    }

    /** Returns the session STS issued with an access key id; fails the test when there is none. */
    public IssuedSession session(String accessKeyId) {
        return aws.sts().session(accessKeyId)
                .orElseThrow(() -> new AssertionError("the local STS issued no access key " + accessKeyId));
    }

    /** Returns a signed ID token of a social ("Continue with Amazon") user with this id: subject {@code amazon|<id>}. */
    public String socialUser(String id) {
        return identityProvider().newIdToken().subject("amazon|" + id).claim("email", id + "@example.com")
                .claim("email_verified", true).sign();
    }

    /** Returns a signed ID token of a database user in the admin group: subject {@code auth0|<id>}. */
    public String adminUser(String id) {
        return identityProvider().newIdToken().subject("auth0|" + id).claim("email", id + "@example.com")
                .claim("email_verified", true).groups(List.of(Demo.ADMIN_GROUP)).sign();
    }

    /** Returns a signed ID token of a social user whose role has short sessions (rule short-sessions). */
    public String shortSessionUser(String id) {
        return identityProvider().newIdToken().subject("amazon|" + id).claim("short_session", "true").sign();
    }

    /** Returns a signed ID token with any subject, e.g. {@code partner|acme} (connection type unknown). */
    public String userWithSubject(String subject) {
        return identityProvider().newIdToken().subject(subject).sign();
    }

    /** The configuration document of the test WAR. */
    public String configuration() {
        return """
                oidc:
                  issuer: %s
                  clientId: %s
                sts:
                  region: us-east-1
                  endpoint: %s
                  maxAttempts: 1
                cache:
                  refreshAhead: 899s
                  minimumValidity: 897s
                request:
                  publicPaths: [/public/*]
                clients:
                  s3:
                    endpoint: %s
                    pathStyle: true
                rules:
                  - bean: vip-customers
                  - id: short-sessions
                    claims:
                      - {name: short_session, equals: "true"}
                    roles:
                      - arn: %s
                        sessionDuration: 15m
                        region: eu-west-1
                  - id: social-buyers
                    connectionType: social
                    roles:
                      - arn: %s
                  - id: database-admins
                    connectionType: database
                    group: %s
                    roles:
                      - arn: %s
                      - arn: %s
                """.formatted(identityProvider().issuer(), Demo.CLIENT_ID, aws.sts().endpoint(), endpoint.uri(), SHORT_ROLE_ARN,
                Demo.BUYER_ROLE_ARN, Demo.ADMIN_GROUP, Demo.ADMIN_ROLE_ARN, Demo.BUYER_ROLE_ARN);
    }

    /** The API Gateway stage the test WAR calls. */
    public URI api() {
        return endpoint.uri().resolve("/prod/pets");
    }
}
