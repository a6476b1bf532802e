package io.github.awsdelegation.it.saml;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.util.JSONObjectUtils;
import io.github.awsdelegation.it.Http;
import io.github.awsdelegation.it.ItConfig;
import io.github.awsdelegation.scope.internal.RoleSessionNames;
import io.github.awsdelegation.testkit.Demo;
import io.github.awsdelegation.testkit.IssuedSession;
import io.github.awsdelegation.testkit.LocalIdentityProvider;
import io.github.awsdelegation.testkit.LocalSts;
import io.github.awsdelegation.testkit.StsCall;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * SAML delegation end to end, on embedded Tomcat: the app serves its IdP metadata, the local STS's IAM SAML
 * provider is made from it, and API requests for SAML roles get credentials through AssumeRoleWithSAML; the role
 * listing and the Auth0-compatible {@code /delegation} endpoint answer as documented.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class SamlDelegationIT {

    static final String JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer";
    static final String SPA_ORIGIN = "https://spa.example.com";
    static final String REPORTS_POLICY = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":"
            + "\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::pet-shop/reports/*\"}]}";

    @Deployment(testable = false)
    static WebArchive shop() {
        SamlItEnvironment env = SamlItEnvironment.get();
        return SamlItEnvironment.war("saml-shop", env.config("""
                        principalTags:
                          connection: connectionType
                        accountAliases:
                          '123456789012': pet-shop
                        delegation:
                          allowedOrigins: [%s]
                          rateLimit: 0  # one test client sends them all; DelegationEndpointLimitsIT tests the limit
                        """.formatted(SPA_ORIGIN))
                .sts("callTimeout", "3s").sts("attemptTimeout", "2s").sts("maxAttempts", "2")
                .rule("social-buyers", "social",
                        ItConfig.role(SamlItEnvironment.SAML_BUYER_ROLE).principal(SamlItEnvironment.PROVIDER))
                .rule("database-admins", "database",
                        ItConfig.role(SamlItEnvironment.SAML_ADMIN_ROLE).principal(SamlItEnvironment.PROVIDER),
                        ItConfig.role(SamlItEnvironment.SAML_REPORTS_ROLE).principal(SamlItEnvironment.PROVIDER)
                                .with("sessionPolicy", "'" + REPORTS_POLICY + "'"),
                        ItConfig.role(Demo.ADMIN_ROLE_ARN)));
    }

    @ArquillianResource
    URL base;

    final SamlItEnvironment env = SamlItEnvironment.get();
    final LocalIdentityProvider idp = env.aws.identityProvider();
    final LocalSts sts = env.aws.sts();

    URI uri(String path) {
        return URI.create(base + path.substring(1));
    }

    @BeforeEach
    void iamKnowsThisApp() {
        env.registerProvider(uri("/saml/metadata"));
        sts.resetCalls();
    }

    static Map<String, Object> json(HttpResponse<String> response) {
        try {
            return JSONObjectUtils.parse(response.body());
        } catch (java.text.ParseException e) {
            throw new AssertionError("not JSON: " + response.body(), e);
        }
    }

    @Test
    @DisplayName("the metadata is public, UTF-8 XML without BOM, with our entity ID and signing certificate: IAM accepts it")
    void metadata_isReadyForIam() throws Exception {
        HttpResponse<String> response = Http.get(uri("/saml/metadata"), Map.of());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/samlmetadata+xml"));
        assertThat(response.body()).startsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?>")
                .contains("entityID=\"" + SamlItEnvironment.ENTITY_ID + "\"")
                .contains(Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(env.certificate.getEncoded()).substring(0, 64))
                .contains("Location=\"" + base.toString().replaceAll("/$", "") + "/saml/console\"");
        assertThat(sts.samlProviderEntityId(SamlItEnvironment.PROVIDER)).hasValue(SamlItEnvironment.ENTITY_ID);
        assertThat(Http.post(uri("/saml/metadata"), "text/plain", "", Map.of()).statusCode()).isEqualTo(405);
    }

    @Test
    @DisplayName("an API request for a SAML role gets credentials from AssumeRoleWithSAML, with the session tag, cached")
    void apiRequest_samlRole_usesAssumeRoleWithSaml() {
        String subject = "amazon|" + java.util.UUID.randomUUID(); // a user with nothing cached yet
        String token = idp.newIdToken().subject(subject).sign();

        HttpResponse<String> first = Http.get(uri("/whoami"), Map.of("Authorization", "Bearer " + token));
        HttpResponse<String> second = Http.get(uri("/whoami"), Map.of("Authorization", "Bearer " + token));

        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        assertThat(first.body()).contains("role=pet-shop-saml-buyer", "rule=social-buyers",
                "assumedRoleArn=arn:aws:sts::123456789012:assumed-role/pet-shop-saml-buyer/" + RoleSessionNames.of(subject));
        assertThat(second.body()).isEqualTo(first.body());
        assertThat(sts.calls()).singleElement().satisfies(call -> {
            assertThat(call.action()).isEqualTo("AssumeRoleWithSAML");
            assertThat(call.succeeded()).isTrue();
            assertThat(call.subject()).isEqualTo(subject);
        });
        IssuedSession session = sts.session(sts.calls().get(0).accessKeyId()).orElseThrow();
        assertThat(session.sessionTags()).containsEntry("connection", "social");
        assertThat(session.provider()).isEqualTo(SamlItEnvironment.PROVIDER);
    }

    @Test
    @DisplayName("a web-identity role and a SAML role with a session policy, in one rule, each use their own operation")
    void apiRequest_mixedRoles() {
        String token = idp.newIdTokenForDatabaseUser(Demo.ADMIN_USERNAME).subject("auth0|" + java.util.UUID.randomUUID()).sign();

        HttpResponse<String> webIdentity = Http.get(uri("/whoami"), Map.of("Authorization", "Bearer " + token,
                "X-AWS-Role", "pet-shop-admin"));
        HttpResponse<String> reports = Http.get(uri("/whoami"), Map.of("Authorization", "Bearer " + token,
                "X-AWS-Role", "pet-shop-reports"));

        assertThat(webIdentity.body()).contains("role=pet-shop-admin");
        assertThat(reports.body()).contains("role=pet-shop-reports");
        assertThat(sts.calls()).extracting(StsCall::action).containsExactly("AssumeRoleWithWebIdentity", "AssumeRoleWithSAML");
        assertThat(sts.calls().get(1).policy()).as("the session policy goes to AssumeRoleWithSAML")
                .contains("\"s3:GetObject\"", "arn:aws:s3:::pet-shop/reports/*");
    }

    @Test
    @DisplayName("the role listing shows each permitted role with account alias, profile Role@alias, issuer and console use")
    void roles_json() {
        HttpResponse<String> response = Http.get(uri("/saml/roles"),
                Map.of("Authorization", "Bearer " + idp.idTokenForDatabaseUser(Demo.ADMIN_USERNAME)));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-store");
        Map<String, Object> body = json(response);
        assertThat(body).containsEntry("rule", "database-admins").containsEntry("subject", LocalIdentityProvider.databaseUserSubject(Demo.ADMIN_USERNAME));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> roles = (List<Map<String, Object>>) body.get("roles");
        assertThat(roles).extracting(r -> r.get("profile")).containsExactly("pet-shop-saml-admin@pet-shop",
                "pet-shop-reports@pet-shop", "pet-shop-admin@pet-shop");
        assertThat(roles.get(0)).containsEntry("roleArn", SamlItEnvironment.SAML_ADMIN_ROLE).containsEntry("accountId", "123456789012")
                .containsEntry("accountAlias", "pet-shop").containsEntry("federation", "saml").containsEntry("console", true)
                .containsEntry("default", true).containsEntry("region", "us-east-1")
                .containsEntry("principalArn", SamlItEnvironment.PROVIDER);
        assertThat(roles.get(1)).as("a session policy keeps a role off the console").containsEntry("console", false);
        assertThat(roles.get(2)).containsEntry("federation", "web-identity").containsEntry("console", false).containsEntry("default", false);
        assertThat(sts.calls()).as("listing calls no STS").isEmpty();
    }

    @Test
    void roles_text_andNoToken() {
        HttpResponse<String> text = Http.get(uri("/saml/roles"), Map.of("Accept", "text/plain",
                "Authorization", "Bearer " + idp.idTokenForSocialUser(Demo.BUYER_AMAZON_ID)));
        HttpResponse<String> anonymous = Http.get(uri("/saml/roles"), Map.of());

        assertThat(text.body()).isEqualTo("pet-shop-saml-buyer@pet-shop\t" + SamlItEnvironment.SAML_BUYER_ROLE
                + "\tpet-shop (123456789012)\n");
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(h -> assertThat(h).startsWith("Bearer"));
    }

    Map<String, String> delegationForm(String idToken) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("client_id", Demo.CLIENT_ID);
        form.put("grant_type", JWT_BEARER);
        form.put("id_token", idToken);
        form.put("target", Demo.CLIENT_ID);
        form.put("api_type", "aws");
        return form;
    }

    HttpResponse<String> delegate(Map<String, String> form) {
        return Http.post(uri("/delegation"), "application/x-www-form-urlencoded", Http.form(form), Map.of());
    }

    @Test
    @DisplayName("POST /delegation with Auth0's form answers in Auth0's shape, with credentials STS issued via SAML")
    void delegation_form_answersInAuth0Shape() {
        HttpResponse<String> response = delegate(delegationForm(idp.idTokenForSocialUser(Demo.BUYER_AMAZON_ID)));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-store");
        Map<String, Object> body = json(response);
        @SuppressWarnings("unchecked")
        Map<String, Object> credentials = (Map<String, Object>) body.get("Credentials");
        @SuppressWarnings("unchecked")
        Map<String, Object> user = (Map<String, Object>) body.get("AssumedRoleUser");
        IssuedSession session = sts.session((String) credentials.get("AccessKeyId")).orElseThrow();
        assertThat(credentials).containsEntry("SecretAccessKey", session.secretAccessKey())
                .containsEntry("SessionToken", session.sessionToken())
                .containsEntry("Expiration", session.expiration().toString());
        assertThat(user).containsEntry("Arn", session.assumedRoleArn()).containsEntry("AssumedRoleId", session.assumedRoleId());
        assertThat(body).containsEntry("Subject", "amazon|amzn1.account.DEMO").containsEntry("SubjectType", "persistent")
                .containsEntry("Issuer", SamlItEnvironment.ENTITY_ID)
                .containsEntry("Audience", "https://signin.aws.amazon.com/saml")
                .containsEntry("NameQualifier", nameQualifier());
        assertThat(Instant.parse((String) credentials.get("Expiration"))).isAfter(Instant.now().plus(Duration.ofMinutes(50)));
    }

    @Test
    @DisplayName("POST /delegation with a JSON body, a permitted role and its principal (as auth0.js v7 sends them)")
    void delegation_json_withRoleAndPrincipal() {
        Map<String, String> form = delegationForm(idp.idTokenForDatabaseUser(Demo.ADMIN_USERNAME));
        form.put("role", SamlItEnvironment.SAML_ADMIN_ROLE);
        form.put("principal", SamlItEnvironment.PROVIDER);

        HttpResponse<String> response = Http.post(uri("/delegation"), "application/json",
                JSONObjectUtils.toJSONString(new LinkedHashMap<>(form)), Map.of());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        @SuppressWarnings("unchecked")
        Map<String, Object> user = (Map<String, Object>) json(response).get("AssumedRoleUser");
        assertThat((String) user.get("Arn")).contains(":assumed-role/pet-shop-saml-admin/");
    }

    @Test
    @DisplayName("a buyer asking /delegation for the admin role is refused (403) and STS is not asked")
    void delegation_escalation_isRefused() {
        Map<String, String> form = delegationForm(idp.idTokenForSocialUser(Demo.BUYER_AMAZON_ID));
        form.put("role", SamlItEnvironment.SAML_ADMIN_ROLE);
        form.put("principal", SamlItEnvironment.PROVIDER);

        HttpResponse<String> response = delegate(form);

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(json(response)).containsEntry("error", "access_denied");
        assertThat((String) json(response).get("error_description")).contains("is not permitted for this user");
        assertThat(sts.calls()).isEmpty();
    }

    @Test
    @DisplayName("a forged, expired or foreign id_token is refused with 401 invalid_token")
    void delegation_badIdToken_isUnauthorized() {
        for (String token : List.of(idp.newIdToken().subject("amazon|forger").signWithForeignKey(),
                idp.newIdToken().subject("amazon|late").issuedAt(Instant.now().minus(Duration.ofHours(3)))
                        .expiresAt(Instant.now().minus(Duration.ofHours(1))).sign(),
                idp.newIdToken().subject("amazon|other").audience("another-app").sign(), "not-a-jwt")) {
            HttpResponse<String> response = delegate(delegationForm(token));

            assertThat(response.statusCode()).as(response.body()).isEqualTo(401);
            assertThat(json(response)).containsEntry("error", "invalid_token");
            assertThat(response.body()).doesNotContain(token);
        }
        assertThat(sts.calls()).isEmpty();
    }

    @Test
    void delegation_badRequests() {
        String token = idp.idTokenForSocialUser(Demo.BUYER_AMAZON_ID);
        Map<String, String> otherClient = delegationForm(token);
        otherClient.put("client_id", "someone-else");
        Map<String, String> otherGrant = delegationForm(token);
        otherGrant.put("grant_type", "refresh_token");
        Map<String, String> noApiType = delegationForm(token);
        noApiType.remove("api_type");
        Map<String, String> otherPrincipal = delegationForm(token);
        otherPrincipal.put("principal", "arn:aws:iam::123456789012:saml-provider/other");

        assertThat(delegate(otherClient).statusCode()).isEqualTo(401);
        assertThat(json(delegate(otherClient))).containsEntry("error", "invalid_client");
        assertThat(json(delegate(otherGrant))).containsEntry("error", "unsupported_grant_type");
        assertThat(delegate(noApiType).statusCode()).isEqualTo(400);
        assertThat(delegate(otherPrincipal).statusCode()).isEqualTo(403);
        assertThat(Http.get(uri("/delegation"), Map.of()).statusCode()).isEqualTo(405);
        HttpResponse<String> inUrl = Http.post(uri("/delegation?id_token=" + token), "application/x-www-form-urlencoded",
                Http.form(delegationForm(token)), Map.of());
        assertThat(inUrl.statusCode()).isEqualTo(400);
        assertThat(inUrl.body()).contains("not in the URL").doesNotContain(token);
        assertThat(Http.post(uri("/delegation"), "text/plain", "x", Map.of()).statusCode()).isEqualTo(400);
        assertThat(sts.calls()).isEmpty();
    }

    @Test
    @DisplayName("cross-origin: the configured origin gets CORS headers, another origin none")
    void delegation_cors() {
        HttpResponse<String> preflight = Http.options(uri("/delegation"), Map.of("Origin", SPA_ORIGIN,
                "Access-Control-Request-Method", "POST"));
        HttpResponse<String> foreign = Http.options(uri("/delegation"), Map.of("Origin", "https://evil.example.com",
                "Access-Control-Request-Method", "POST"));
        HttpResponse<String> post = Http.post(uri("/delegation"), "application/x-www-form-urlencoded",
                Http.form(delegationForm(idp.idTokenForSocialUser(Demo.BUYER_AMAZON_ID))), Map.of("Origin", SPA_ORIGIN));

        assertThat(preflight.statusCode()).isEqualTo(204);
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).hasValue(SPA_ORIGIN);
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Methods")).hasValue("POST");
        assertThat(foreign.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
        assertThat(post.headers().firstValue("Access-Control-Allow-Origin")).hasValue(SPA_ORIGIN);
    }

    static String nameQualifier() {
        try {
            return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-1")
                    .digest((SamlItEnvironment.ENTITY_ID + "123456789012/pet-shop").getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
