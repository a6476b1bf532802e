package io.github.awsdelegation.testkit.apigateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.awsdelegation.testkit.Demo;
import io.github.awsdelegation.testkit.LocalAwsExtension;
import io.github.awsdelegation.testkit.LocalIdentityProvider;
import io.github.awsdelegation.testkit.LocalSts;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.Credentials;

/** The local pets API called with requests signed by the AWS SDK's AwsV4HttpSigner, as the demo roles. */
class LocalPetsApiTest {

    @RegisterExtension
    static LocalAwsExtension aws = LocalAwsExtension.builder().build();

    static final HttpClient HTTP = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY)
            .connectTimeout(Duration.ofSeconds(2)).build();

    static Credentials assume(LocalIdentityProvider idp, LocalSts sts, String roleArn, String subject) {
        try (StsClient client = StsClient.builder().endpointOverride(sts.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(AnonymousCredentialsProvider.create()).httpClient(UrlConnectionHttpClient.create())
                .build()) {
            return client.assumeRoleWithWebIdentity(b -> b.roleArn(roleArn).roleSessionName("pets-test")
                    .webIdentityToken(idp.newIdToken().subject(subject).sign())).credentials();
        }
    }

    static HttpResponse<String> call(Credentials c, String region, String method, URI uri, String json) throws Exception {
        SdkHttpRequest.Builder unsigned = SdkHttpRequest.builder().method(SdkHttpMethod.fromValue(method)).uri(uri);
        byte[] body = json == null ? new byte[0] : json.getBytes(StandardCharsets.UTF_8);
        if (json != null) {
            unsigned.putHeader("Content-Type", "application/json");
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (c != null) {
            SignedRequest signed = AwsV4HttpSigner.create().sign(r -> r
                    .identity(AwsSessionCredentials.create(c.accessKeyId(), c.secretAccessKey(), c.sessionToken()))
                    .request(unsigned.build())
                    .payload(ContentStreamProvider.fromInputStreamSupplier(() -> new ByteArrayInputStream(body)))
                    .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "execute-api")
                    .putProperty(AwsV4HttpSigner.REGION_NAME, region));
            signed.request().headers().forEach((name, values) -> {
                if (!name.equalsIgnoreCase("Host") && !name.equalsIgnoreCase("Content-Length")) {
                    values.forEach(v -> request.header(name, v));
                }
            });
        } else if (json != null) {
            request.header("Content-Type", "application/json");
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> call(Credentials c, String method, URI uri, String json) throws Exception {
        return call(c, "us-east-1", method, uri, json);
    }

    @Test
    @DisplayName("a buyer lists the pets and buys one; the pet is then theirs")
    void buyer_listsAndPurchases(LocalIdentityProvider idp, LocalSts sts, LocalPetsApi api) throws Exception {
        Credentials buyer = assume(idp, sts, Demo.BUYER_ROLE_ARN, "amazon|buyer-1");
        int id = api.addPet("parrot", new java.math.BigDecimal("99.50")).id();

        HttpResponse<String> list = call(buyer, "GET", URI.create(api.endpoint() + "/pets"), null);
        HttpResponse<String> purchase = call(buyer, "POST", URI.create(api.endpoint() + "/pets/" + id + "/purchase"), null);
        HttpResponse<String> again = call(buyer, "POST", URI.create(api.endpoint() + "/pets/" + id + "/purchase"), null);

        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(list.body()).contains("\"type\":\"dog\"", "\"price\":249.99", "\"type\":\"parrot\"");
        assertThat(purchase.statusCode()).isEqualTo(200);
        assertThat(purchase.body()).contains("\"owner\":\"amazon|buyer-1\"");
        assertThat(api.pet(id)).hasValueSatisfying(p -> assertThat(p.owner()).isEqualTo("amazon|buyer-1"));
        assertThat(again.statusCode()).isEqualTo(409);
    }

    @Test
    @DisplayName("a buyer may not add or remove pets: 403 AccessDeniedException naming the caller and the route")
    void buyer_cannotManagePets(LocalIdentityProvider idp, LocalSts sts, LocalPetsApi api) throws Exception {
        Credentials buyer = assume(idp, sts, Demo.BUYER_ROLE_ARN, "amazon|buyer-2");

        HttpResponse<String> add = call(buyer, "POST", URI.create(api.endpoint() + "/pets"), "{\"type\":\"cat\",\"price\":1}");
        HttpResponse<String> remove = call(buyer, "DELETE", URI.create(api.endpoint() + "/pets/1"), null);

        assertThat(add.statusCode()).isEqualTo(403);
        assertThat(add.headers().firstValue("x-amzn-ErrorType")).hasValue("AccessDeniedException");
        assertThat(add.body()).isEqualTo("{\"Message\":\"User: arn:aws:sts::123456789012:assumed-role/pet-shop-buyer/pets-test"
                + " is not authorized to perform: execute-api:Invoke on resource: "
                + "arn:aws:execute-api:us-east-1:123456789012:petshop001/prod/POST/pets\"}");
        assertThat(remove.statusCode()).isEqualTo(403);
        assertThat(api.pet(1)).isPresent();
    }

    @Test
    @DisplayName("an admin adds and removes pets")
    void admin_managesPets(LocalIdentityProvider idp, LocalSts sts, LocalPetsApi api) throws Exception {
        Credentials admin = assume(idp, sts, Demo.ADMIN_ROLE_ARN, "auth0|admin-1");

        HttpResponse<String> add = call(admin, "POST", URI.create(api.endpoint() + "/pets"), "{\"type\":\"hamster\",\"price\":5.25}");
        int id = api.pets().stream().filter(p -> p.type().equals("hamster")).findFirst().orElseThrow().id();
        HttpResponse<String> remove = call(admin, "DELETE", URI.create(api.endpoint() + "/pets/" + id), null);

        assertThat(add.statusCode()).isEqualTo(201);
        assertThat(add.body()).contains("\"type\":\"hamster\"", "\"price\":5.25");
        assertThat(remove.statusCode()).isEqualTo(204);
        assertThat(api.pet(id)).isEmpty();
    }

    @Test
    @DisplayName("an admin may not buy a pet, as in the tutorial: API Gateway refuses the purchase and the pet stays unsold")
    void admin_cannotBuy(LocalIdentityProvider idp, LocalSts sts, LocalPetsApi api) throws Exception {
        Credentials admin = assume(idp, sts, Demo.ADMIN_ROLE_ARN, "auth0|admin-2");
        int id = api.addPet("gecko", new java.math.BigDecimal("12.50")).id();

        HttpResponse<String> purchase = call(admin, "POST", URI.create(api.endpoint() + "/pets/" + id + "/purchase"), null);

        assertThat(purchase.statusCode()).isEqualTo(403);
        assertThat(purchase.headers().firstValue("x-amzn-ErrorType")).hasValue("AccessDeniedException");
        assertThat(purchase.body()).contains("assumed-role/pet-shop-admin/", "execute-api:Invoke",
                "petshop001/prod/POST/pets/" + id + "/purchase");
        assertThat(api.pet(id)).hasValueSatisfying(pet -> assertThat(pet.owner()).isNull());
    }

    @Test
    @DisplayName("unsigned, wrongly scoped and forged requests are refused as API Gateway refuses them")
    void authenticationFailures(LocalIdentityProvider idp, LocalSts sts, LocalPetsApi api) throws Exception {
        Credentials buyer = assume(idp, sts, Demo.BUYER_ROLE_ARN, "amazon|buyer-3");
        Credentials forged = Credentials.builder().accessKeyId(buyer.accessKeyId()).secretAccessKey(buyer.secretAccessKey())
                .sessionToken("forged").expiration(buyer.expiration()).build();
        Credentials wrongSecret = buyer.toBuilder().secretAccessKey("x" + buyer.secretAccessKey().substring(1)).build();

        HttpResponse<String> unsigned = call(null, "GET", URI.create(api.endpoint() + "/pets"), null);
        HttpResponse<String> otherRegion = call(buyer, "eu-west-1", "GET", URI.create(api.endpoint() + "/pets"), null);
        HttpResponse<String> forgedToken = call(forged, "GET", URI.create(api.endpoint() + "/pets"), null);
        HttpResponse<String> badSignature = call(wrongSecret, "GET", URI.create(api.endpoint() + "/pets"), null);

        assertThat(unsigned.statusCode()).isEqualTo(403);
        assertThat(unsigned.body()).isEqualTo("{\"message\":\"Missing Authentication Token\"}");
        assertThat(otherRegion.headers().firstValue("x-amzn-ErrorType")).hasValue("InvalidSignatureException");
        assertThat(forgedToken.headers().firstValue("x-amzn-ErrorType")).hasValue("UnrecognizedClientException");
        assertThat(badSignature.headers().firstValue("x-amzn-ErrorType")).hasValue("InvalidSignatureException");
        assertThat(badSignature.body()).contains("signature we calculated does not match");
    }
}
