package io.github.awsdelegation.interop;

import io.github.awsdelegation.testkit.LocalIdentityProvider;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Ceph RADOS Gateway, started by {@code scripts/ceph-rgw.sh} (loopback only, stops by itself when this JVM ends) and set
 * up through its own IAM API like an AWS account: an OIDC provider for the testkit's identity provider, and the three
 * roles of {@link InteropTarget} with their trust and permission policies. The gateway's admin user stands in for the
 * app's own IAM user (AssumeRole).
 */
final class CephRgwTarget implements InteropTarget {

    private static final Logger LOG = LoggerFactory.getLogger(CephRgwTarget.class);

    private final Map<String, String> env;
    private final boolean startedHere;
    private final LocalIdentityProvider idp;
    private final URI endpoint;
    private final S3Client admin;
    private final String scoped;
    private final String team;
    private final String app;

    CephRgwTarget() {
        Path script = Path.of(System.getProperty("interop.rgw.script", "../scripts/ceph-rgw.sh"));
        boolean running = run(script, "status").startsWith("CEPH_RGW_ENDPOINT=");
        this.env = parse(running ? run(script, "status") : run(script, "start", "--owner-pid",
                String.valueOf(ProcessHandle.current().pid()), "--max-lifetime", "1800"));
        this.startedHere = !running;
        this.endpoint = URI.create(env.get("CEPH_RGW_ENDPOINT"));
        StaticCredentialsProvider adminCredentials = StaticCredentialsProvider.create(AwsBasicCredentials.create(
                env.get("CEPH_RGW_ACCESS_KEY"), env.get("CEPH_RGW_SECRET_KEY")));
        this.idp = LocalIdentityProvider.builder().start();
        this.admin = S3Client.builder().endpointOverride(endpoint).forcePathStyle(true).region(Region.US_EAST_1)
                .credentialsProvider(adminCredentials).httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(o -> o.retryStrategy(software.amazon.awssdk.awscore.retry.AwsRetryStrategy.doNotRetry()))
                .requestChecksumCalculation(software.amazon.awssdk.core.checksums.RequestChecksumCalculation.WHEN_REQUIRED)
                .build();
        for (String bucket : new String[] {BUCKET, OTHER_BUCKET}) {
            if (admin.listBuckets().buckets().stream().noneMatch(b -> b.name().equals(bucket))) {
                admin.createBucket(b -> b.bucket(bucket));
            }
        }
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        try (IamClient iam = IamClient.builder().endpointOverride(endpoint).region(Region.AWS_GLOBAL)
                .credentialsProvider(adminCredentials).httpClient(UrlConnectionHttpClient.create()).build()) {
            String issuer = idp.issuer().toString();
            // RGW finds the provider by the token's iss without its scheme, trailing slash included, and names the
            // condition keys after it ("127.0.0.1:8080/:app_id").
            String providerId = issuer.replaceFirst("^https?://", "");
            String providerArn = iam.createOpenIDConnectProvider(b -> b.url(issuer)
                    .clientIDList(CLIENT_ID).thumbprintList("0".repeat(40))).openIDConnectProviderArn();
            LOG.info("Ceph RGW: OIDC provider {} for {}", providerArn, issuer);
            String webIdentityTrust = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Federated\":[\""
                    + providerArn + "\"]},\"Action\":[\"sts:AssumeRoleWithWebIdentity\",\"sts:TagSession\"],"
                    + "\"Condition\":{\"StringEquals\":{\"" + providerId + ":app_id\":\"" + CLIENT_ID + "\"}}}]}";
            String appTrust = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":[\""
                    + env.get("CEPH_RGW_USER_ARN") + "\"]},\"Action\":[\"sts:AssumeRole\",\"sts:TagSession\"]}]}";
            this.scoped = role(iam, "interop-scoped-" + suffix, webIdentityTrust, Policies.SCOPED);
            this.team = role(iam, "interop-team-" + suffix, webIdentityTrust, Policies.TEAM);
            this.app = role(iam, "interop-app-" + suffix, appTrust, Policies.SCOPED);
        }
    }

    private static String role(IamClient iam, String name, String trust, String permissions) {
        String arn = iam.createRole(b -> b.roleName(name).assumeRolePolicyDocument(trust)).role().arn();
        iam.putRolePolicy(b -> b.roleName(name).policyName("permissions").policyDocument(permissions));
        LOG.info("Ceph RGW: role {}", arn);
        return arn;
    }

    private static String run(Path script, String... args) {
        String[] command = new String[args.length + 2];
        command[0] = "bash";
        command[1] = script.toAbsolutePath().toString();
        System.arraycopy(args, 0, command, 2, args.length);
        try {
            Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            String out;
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                out = reader.lines().collect(Collectors.joining("\n"));
            }
            if (!process.waitFor(180, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(script + " " + args[0] + " did not finish in 180 s");
            }
            if (process.exitValue() != 0 && !"status".equals(args[0])) {
                throw new IllegalStateException(script + " " + String.join(" ", args) + " failed (exit " + process.exitValue()
                        + "); see its messages above");
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + script + " (is it executable, and does this build run as root?)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, String> parse(String output) {
        Map<String, String> values = new LinkedHashMap<>();
        output.lines().filter(l -> l.startsWith("CEPH_RGW_")).forEach(l -> values.put(l.substring(0, l.indexOf('=')),
                l.substring(l.indexOf('=') + 1)));
        if (!values.containsKey("CEPH_RGW_ENDPOINT")) {
            throw new IllegalStateException("scripts/ceph-rgw.sh printed no CEPH_RGW_ENDPOINT:\n" + output);
        }
        return values;
    }

    @Override
    public String name() {
        return "ceph-rgw";
    }

    @Override
    public LocalIdentityProvider identityProvider() {
        return idp;
    }

    @Override
    public URI stsEndpoint() {
        return endpoint;
    }

    @Override
    public URI s3Endpoint() {
        return endpoint;
    }

    @Override
    public String scopedRoleArn() {
        return scoped;
    }

    @Override
    public String teamRoleArn() {
        return team;
    }

    @Override
    public String appRoleArn() {
        return app;
    }

    @Override
    public String appAccessKeyId() {
        return env.get("CEPH_RGW_ACCESS_KEY");
    }

    @Override
    public String appSecretAccessKey() {
        return env.get("CEPH_RGW_SECRET_KEY");
    }

    @Override
    public void seed(String bucket, String key, String content) {
        admin.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString(content));
    }

    @Override
    public void close() {
        admin.close();
        idp.close();
        if (startedHere) {
            Path script = Path.of(System.getProperty("interop.rgw.script", "../scripts/ceph-rgw.sh"));
            run(script, "stop");
        }
    }
}
