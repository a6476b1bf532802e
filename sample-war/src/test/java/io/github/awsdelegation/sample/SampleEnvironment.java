package io.github.awsdelegation.sample;

import io.github.awsdelegation.testkit.Demo;
import io.github.awsdelegation.testkit.LocalAws;
import io.github.awsdelegation.testkit.LocalAwsMain;
import io.github.awsdelegation.testkit.LocalRole;
import io.github.awsdelegation.testkit.SigningKeyStores;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The embedded default the sample WAR runs against, wherever it is deployed: the testkit's local IdP, STS, S3
 * and pets API on 127.0.0.1, a SAML signing keystore made for the run, and the variables that point the WAR's
 * {@code WEB-INF/aws-delegation.yaml} at them. The launcher sets the variables as system properties of its own
 * JVM; the Tomcat and WildFly tests pass them to the server's JVM as {@code -D} options.
 */
public final class SampleEnvironment implements AutoCloseable {

    /** The console role the sample's rules grant for console sign-in (a SAML role without a session policy). */
    public static final String CONSOLE_ROLE_ARN = "arn:aws:iam::123456789012:role/pet-shop-console";
    /** The IAM SAML provider that stands for the app in the local STS. */
    public static final String SAML_PROVIDER_ARN = "arn:aws:iam::123456789012:saml-provider/pet-shop";
    /** The SAML signing keystore's password: a value made up for the demo, never a real secret. */
    static final String KEYSTORE_PASSWORD = "pet-shop-demo-only";

    private final LocalAws aws;
    private final Map<String, String> variables;

    private SampleEnvironment(LocalAws aws, Map<String, String> variables) {
        this.aws = aws;
        this.variables = variables;
    }

    /**
     * Starts the local AWS (the demo users, roles, bucket and pets) and writes the SAML signing keystore into
     * {@code workDirectory}.
     */
    public static SampleEnvironment start(Path workDirectory) {
        return start(workDirectory, List.of());
    }

    /**
     * Starts the local AWS as {@link #start(Path)} does, from {@link LocalAwsMain}'s command-line options (e.g.
     * {@code --trust-issuer=<Keycloak's issuer>=pet-shop}, so that an outside identity provider can stand in front of it).
     * The variables still point at the testkit's own identity provider: whoever puts another in front overrides
     * {@code AWS_DELEGATION_ISSUER} and its companions.
     */
    public static SampleEnvironment start(Path workDirectory, List<String> localAwsOptions) {
        LocalAws aws = LocalAwsMain.start(localAwsOptions.toArray(String[]::new));
        try {
            Path keyStore = SigningKeyStores.writePkcs12(workDirectory.resolve("saml-signing.p12"), "saml-signing", KEYSTORE_PASSWORD,
                    "pet-shop sample SAML IdP");
            Map<String, String> variables = new LinkedHashMap<>();
            variables.put("AWS_DELEGATION_ISSUER", aws.identityProvider().issuer().toString());
            variables.put("AWS_DELEGATION_CLIENT_ID", Demo.CLIENT_ID);
            variables.put("AWS_REGION", "us-east-1");
            variables.put("AWS_DELEGATION_STS_ENDPOINT", aws.sts().endpoint().toString());
            variables.put("AWS_S3_ENDPOINT", aws.s3().endpoint().toString());
            variables.put("AWS_S3_PATH_STYLE", "true");
            variables.put("PET_SHOP_API_URL", aws.petsApi().endpoint().toString());
            variables.put("PET_SHOP_BUCKET", Demo.PETS_BUCKET);
            variables.put("PET_SHOP_SAML_KEYSTORE", keyStore.toString());
            variables.put("PET_SHOP_SAML_KEYSTORE_PASSWORD", KEYSTORE_PASSWORD);
            return new SampleEnvironment(aws, Collections.unmodifiableMap(variables));
        } catch (RuntimeException | Error e) {
            aws.close();
            throw e;
        }
    }

    /** The local AWS. */
    public LocalAws aws() {
        return aws;
    }

    /** The variables for the WAR's configuration, in the order of its documentation. */
    public Map<String, String> variables() {
        return variables;
    }

    /**
     * Does what an AWS administrator does once the app runs: makes an IAM SAML provider from the app's metadata
     * ({@code <app>/saml/metadata}) and a console role that trusts it, so that the console role works as IAM's
     * would. Call it after the app has started.
     *
     * @param app the app's base URL, ending in {@code /}
     */
    public void trustApp(URI app) {
        try {
            HttpResponse<String> metadata = HttpClient.newHttpClient().send(HttpRequest.newBuilder(app.resolve("saml/metadata")).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (metadata.statusCode() != 200) {
                throw new IllegalStateException("the app's SAML metadata answered " + metadata.statusCode());
            }
            aws.sts().addSamlProvider(SAML_PROVIDER_ARN, metadata.body());
            aws.sts().addRole(LocalRole.builder().arn(CONSOLE_ROLE_ARN).trustPolicy(LocalRole.samlTrustPolicy(SAML_PROVIDER_ARN))
                    .permissionPolicy("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                            + "\"Action\":\"execute-api:Invoke\",\"Resource\":\"arn:aws:execute-api:*:" + Demo.ACCOUNT_ID
                            + ":*/*/GET/pets\"}]}")
                    .build());
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the app's SAML metadata", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Stops the local AWS. */
    @Override
    public void close() {
        aws.close();
    }
}
