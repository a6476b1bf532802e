package io.github.awsdelegation.interop;

import io.github.awsdelegation.testkit.LocalAws;
import io.github.awsdelegation.testkit.LocalIdentityProvider;
import io.github.awsdelegation.testkit.LocalRole;
import io.github.awsdelegation.testkit.LocalSts;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/** The testkit's local AWS (LocalSts + LocalS3) set up for the interop scenarios. */
final class LocalInteropTarget implements InteropTarget {

    static final String ACCOUNT = "123456789012";
    static final String APP_KEY = "AKIAINTEROPAPP000001";
    static final String APP_SECRET = "interop-app-secret-of-the-local-target-0";
    static final String APP_USER = "arn:aws:iam::" + ACCOUNT + ":user/pet-shop-app";
    static final String SCOPED = "arn:aws:iam::" + ACCOUNT + ":role/interop-scoped";
    static final String TEAM = "arn:aws:iam::" + ACCOUNT + ":role/interop-team";
    static final String APP = "arn:aws:iam::" + ACCOUNT + ":role/interop-app";

    private final LocalAws aws;

    LocalInteropTarget() {
        this.aws = LocalAws.builder().demoRoles(false)
                .sts(sts -> sts.accessKey(APP_KEY, APP_SECRET, APP_USER))
                .s3(s3 -> s3.bucket(BUCKET).bucket(OTHER_BUCKET))
                .start();
        LocalSts sts = aws.sts();
        URI issuer = aws.identityProvider().issuer();
        String trust = LocalRole.webIdentityTrustPolicy(ACCOUNT, issuer, CLIENT_ID);
        sts.addRole(LocalRole.builder().arn(SCOPED).trustPolicy(trust).permissionPolicy(Policies.SCOPED).build());
        sts.addRole(LocalRole.builder().arn(TEAM).trustPolicy(trust).permissionPolicy(Policies.TEAM).build());
        sts.addRole(LocalRole.builder().arn(APP).trustPolicy(LocalRole.assumeRoleTrustPolicy(APP_USER))
                .permissionPolicy(Policies.SCOPED).build());
    }

    @Override
    public String name() {
        return "testkit";
    }

    @Override
    public LocalIdentityProvider identityProvider() {
        return aws.identityProvider();
    }

    @Override
    public URI stsEndpoint() {
        return aws.sts().endpoint();
    }

    @Override
    public URI s3Endpoint() {
        return aws.s3().endpoint();
    }

    @Override
    public String scopedRoleArn() {
        return SCOPED;
    }

    @Override
    public String teamRoleArn() {
        return TEAM;
    }

    @Override
    public String appRoleArn() {
        return APP;
    }

    @Override
    public String appAccessKeyId() {
        return APP_KEY;
    }

    @Override
    public String appSecretAccessKey() {
        return APP_SECRET;
    }

    @Override
    public void seed(String bucket, String key, String content) {
        aws.s3().putObject(bucket, key, content.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
        aws.close();
    }
}
