package io.github.awsdelegation.sample;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.util.JSONObjectUtils;
import io.github.awsdelegation.testkit.Demo;
import io.github.awsdelegation.testkit.LocalIdentityProvider;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.File;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.List;
import java.util.Map;
import org.apache.catalina.startup.Tomcat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * What README's run command starts — the WAR on embedded Tomcat with Weld, against the local IdP, STS, S3 and pets
 * API — used through the shop's JSON API as the page uses it. The browser suite (BrowserIT) walks the same flows
 * through the page itself.
 */
class SampleLauncherIT {

    static final String ADMIN_SUBJECT = LocalIdentityProvider.databaseUserSubject(Demo.ADMIN_USERNAME);
    static final String BUYER_SUBJECT = LocalIdentityProvider.socialUserSubject(Demo.BUYER_AMAZON_ID);

    static SampleLauncher.Running sample;
    static URI base;

    @BeforeAll
    static void start() throws Exception {
        // One servlet that fails as a bug would, to see what the user gets then.
        sample = SampleLauncher.start(new File("target/sample-war"), 0, context -> {
            Tomcat.addServlet(context, "bug", new HttpServlet() {
                @Override
                protected void service(HttpServletRequest request, HttpServletResponse response) {
                    throw new IllegalStateException("a bug, with internal details");
                }
            });
            context.addServletMappingDecoded("/api/bug", "bug");
        });
        base = sample.url();
    }

    @AfterAll
    static void stop() {
        sample.close();
    }

    @Test
    @DisplayName("the home page needs no sign-in; the shop and its API do")
    void home_isPublic_shopIsNot() throws Exception {
        HttpClient anonymous = HttpClient.newHttpClient();
        HttpResponse<String> home = anonymous.send(HttpRequest.newBuilder(base).build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> api = anonymous.send(HttpRequest.newBuilder(base.resolve("api/pets")).header("Accept", "application/json").build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(home.statusCode()).isEqualTo(200);
        assertThat(home.body()).contains("Pet shop").contains("href=\"shop.html\"");
        assertThat(api.statusCode()).isEqualTo(401);
        assertThat(api.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
    }

    @Nested
    @DisplayName("hardening, as on the Tomcat and WildFly installations (DeployedSampleContract)")
    class Hardening {

        @Test
        @DisplayName("README's public prefix /static/*: no spelling of a climb out of it reaches the API")
        void publicPrefix_climbingOut_neverReachesTheApi() {
            SampleHardening.publicPrefix_climbingOut_neverReachesTheApi(base);
        }

        @Test
        @DisplayName("a real 15,000-character ID token reaches the app: the launcher's header limit fits the filter's")
        void largeToken_reachesTheApp() throws Exception {
            SampleHardening.largeToken_reachesTheApp(base, sample.environment().aws().identityProvider());
        }

        @Test
        @DisplayName("headers over the limit get Tomcat's short 400, without a stack trace or its version")
        void oversizedHeader_shortAnswer() {
            SampleHardening.oversizedHeader_shortAnswer(base);
        }

        @Test
        @DisplayName("the session cookie is HttpOnly and SameSite=Lax, and no page may be framed")
        void sessionCookieAndFraming() throws Exception {
            SampleHardening.sessionCookieAndFraming(base);
        }

        @Test
        @DisplayName("forms another site auto-submits with the admin's session get 403 cross_site_request")
        void forgedFormPost_refused() {
            SampleHardening.forgedFormPost_refused(HttpUser.admin(base));
        }
    }

    @Test
    @DisplayName("/admin/metrics: Prometheus format for a scraper on this host or the admin role; 401 forwarded, 403 a buyer")
    void adminMetrics() throws Exception {
        HttpUser admin = HttpUser.admin(base);
        assertThat(admin.get("api/me").statusCode()).isEqualTo(200); // a decision, an STS call, a token validation

        HttpClient scraper = HttpClient.newHttpClient();
        HttpResponse<String> loopback = scraper.send(HttpRequest.newBuilder(base.resolve("admin/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> forwarded = scraper.send(HttpRequest.newBuilder(base.resolve("admin/metrics"))
                .header("X-Forwarded-For", "203.0.113.9").header("Accept", "application/json").build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(loopback.statusCode()).isEqualTo(200);
        assertThat(loopback.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
        assertThat(loopback.body()).contains("aws_delegation_decisions_total{", "rule=\"database-admins\"",
                "aws_delegation_sts_calls_seconds_count{", "operation=\"AssumeRoleWithWebIdentity\"",
                "aws_delegation_token_validations_total{", "aws_delegation_cache_size");
        assertThat(forwarded.statusCode()).isEqualTo(401);
        // Through a proxy (so not "on this host"): the admin role only.
        assertThat(HttpUser.buyer(base).exchange(HttpRequest.newBuilder(base.resolve("admin/metrics"))
                .header("X-Forwarded-For", "203.0.113.9")).statusCode()).isEqualTo(403);
        HttpResponse<String> asAdmin = admin.exchange(HttpRequest.newBuilder(base.resolve("admin/metrics"))
                .header("X-Forwarded-For", "203.0.113.9"));
        assertThat(asAdmin.statusCode()).isEqualTo(200);
        assertThat(asAdmin.body()).contains("aws_delegation_decisions_total{");
    }

    @Nested
    @DisplayName("a database user (admin role)")
    class Admin {

        final HttpUser admin = HttpUser.admin(base);

        @Test
        @DisplayName("sees who they are, the role and the rule that granted it, and when the credentials expire; never the credentials")
        void statusPanel() throws Exception {
            HttpResponse<String> me = admin.get("api/me");

            Map<String, Object> json = json(me);
            assertThat(me.statusCode()).isEqualTo(200);
            assertThat(json).containsEntry("email", Demo.ADMIN_EMAIL).containsEntry("subject", ADMIN_SUBJECT)
                    .containsEntry("connectionType", "database").containsEntry("rule", "database-admins")
                    .containsEntry("canManage", true).containsEntry("canBuy", false).containsEntry("use", "manage")
                    .containsEntry("folder", "pet-shop/" + ADMIN_SUBJECT + "/");
            assertThat(JSONObjectUtils.getJSONObject(json, "role")).containsEntry("name", "pet-shop-admin");
            assertThat(JSONObjectUtils.getJSONObjectArray(json, "permittedRoles")).extracting(r -> r.get("name"))
                    .containsExactly("pet-shop-admin", "pet-shop-buyer", "pet-shop-console");
            assertThat((String) json.get("assumedRoleArn")).startsWith("arn:aws:sts::123456789012:assumed-role/pet-shop-admin/");
            assertThat((String) json.get("expiresAt")).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
            assertThat(me.body()).doesNotContain("ASIA").doesNotContainIgnoringCase("secret").doesNotContainIgnoringCase("sessionToken");
        }

        @Test
        @DisplayName("is an admin of the admin paths: reads the readiness report and explains another user's claims")
        void adminPaths() throws Exception {
            HttpResponse<String> health = admin.get("admin/aws-delegation/health");
            assertThat(health.statusCode()).as(health.body()).isEqualTo(200);
            assertThat(json(health)).containsEntry("status", "UP");

            HttpResponse<String> other = admin.send("POST", "admin/aws-delegation/explain", "application/json",
                    "{\"claims\": {\"sub\": \"github|7\"}, \"role\": \"pet-shop-admin\"}");
            assertThat(other.statusCode()).as(other.body()).isEqualTo(200);
            assertThat(json(other)).containsEntry("granted", false);
            assertThat((String) json(other).get("refusal")).startsWith("role 'pet-shop-admin' is not permitted for this user; rule 'social-buyers'");
        }

        @Test
        @DisplayName("lists the pets, adds one and removes it, through the pets API with SigV4")
        void addsAndRemovesPets() throws Exception {
            HttpResponse<String> added = admin.send("POST", "api/pets", "application/json", "{\"type\":\"parrot\",\"price\":42.5}");
            Object id = json(added).get("id");
            HttpResponse<String> listed = admin.get("api/pets");
            HttpResponse<String> removed = admin.send("DELETE", "api/pets/" + id, null, null);
            HttpResponse<String> after = admin.get("api/pets");

            assertThat(added.statusCode()).as(added.body()).isEqualTo(201);
            assertThat(listed.body()).contains("\"dog\"").contains("\"parrot\"");
            assertThat(removed.statusCode()).isEqualTo(204);
            assertThat(after.body()).doesNotContain("\"parrot\"");
            assertThat(sample.environment().aws().petsApi().decisions()).anyMatch(d -> d.startsWith("ALLOWED POST /pets for ")
                    && d.contains("assumed-role/pet-shop-admin/"));
        }

        @Test
        @DisplayName("may not buy a pet, as in the tutorial: the admin role's IAM policy has no purchase, and API Gateway refuses it")
        void cannotBuy() throws Exception {
            HttpResponse<String> purchase = admin.send("POST", "api/pets/3/purchase", null, null);

            assertThat(purchase.statusCode()).as(purchase.body()).isEqualTo(403);
            assertThat(json(purchase)).containsEntry("error", "AccessDenied").containsEntry("service", "execute-api");
            assertThat((String) json(purchase).get("message")).contains("pet-shop-admin");
            assertThat(sample.environment().aws().petsApi().decisions()).anyMatch(d -> d.startsWith("IMPLICIT_DENY POST /pets/3/purchase for ")
                    && d.contains("assumed-role/pet-shop-admin/"));
        }

        @Test
        @DisplayName("keeps files in their own folder, even though the admin role could reach the whole bucket")
        void ownFolderOnly() throws Exception {
            HttpResponse<String> put = admin.send("PUT", "api/files/inventory.csv", "text/csv", "dog,1\ncat,2\n");
            HttpResponse<String> buyersFolder = admin.get("api/folders/" + enc(BUYER_SUBJECT));

            assertThat(put.statusCode()).isEqualTo(201);
            assertThat(sample.environment().aws().s3().keys(Demo.PETS_BUCKET)).contains(ADMIN_SUBJECT + "/inventory.csv");
            assertThat(buyersFolder.statusCode()).isEqualTo(403);
            assertThat(json(buyersFolder)).containsEntry("service", "s3");
            assertThat((String) json(buyersFolder).get("message")).startsWith("AWS denied this")
                    .contains("session policy").contains("pet-shop/" + ADMIN_SUBJECT + "/");
            admin.send("DELETE", "api/files/inventory.csv", null, null);
        }

        @Test
        @DisplayName("may act as a buyer, a role the rule permits, and then may no longer add pets")
        void actsAsBuyer() throws Exception {
            HttpResponse<String> me = admin.exchange(HttpRequest.newBuilder(base.resolve("api/me")).header("X-AWS-Role", "pet-shop-buyer"));
            HttpResponse<String> add = admin.exchange(HttpRequest.newBuilder(base.resolve("api/pets")).header("X-AWS-Role", "pet-shop-buyer")
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"rat\",\"price\":1}")));

            assertThat(JSONObjectUtils.getJSONObject(json(me), "role")).containsEntry("name", "pet-shop-buyer");
            assertThat(json(me)).containsEntry("canManage", false);
            assertThat(add.statusCode()).isEqualTo(403);
        }
    }

    @Nested
    @DisplayName("a social user (buyer role)")
    class Buyer {

        final HttpUser buyer = HttpUser.buyer(base);

        @Test
        @DisplayName("continues with Amazon and gets the buyer role from the social rule")
        void statusPanel() throws Exception {
            Map<String, Object> me = json(buyer.get("api/me"));

            assertThat(me).containsEntry("subject", BUYER_SUBJECT).containsEntry("connectionType", "social")
                    .containsEntry("rule", "social-buyers").containsEntry("canBuy", true).containsEntry("canManage", false);
            assertThat(JSONObjectUtils.getJSONObjectArray(me, "permittedRoles")).extracting(r -> r.get("name"))
                    .containsExactly("pet-shop-buyer", "pet-shop-console");
        }

        @Test
        @DisplayName("\"why this role?\" on the status panel explains their own role, rule by rule; health is for admins")
        void whyThisRole() throws Exception {
            assertThat(buyer.get("shop.html").body()).contains("id=\"why-role\" class=\"button secondary\" "
                    + "href=\"admin/aws-delegation/explain?format=text\"");

            HttpResponse<String> why = buyer.get("admin/aws-delegation/explain?format=text");

            assertThat(why.statusCode()).as(why.body()).isEqualTo(200);
            assertThat(why.body()).contains("User " + BUYER_SUBJECT + " (validated ID token)", "1. social-buyers: MATCHED, decides",
                    "[yes] connection type is social", "2. database-admins: did not match",
                    "Decision: arn:aws:iam::123456789012:role/pet-shop-buyer (the rule's default)",
                    "arn:aws:s3:::pet-shop/" + BUYER_SUBJECT + "/*");
            assertThat(buyer.get("admin/aws-delegation/health").statusCode()).isEqualTo(403);
            assertThat(buyer.send("POST", "admin/aws-delegation/explain", "application/json",
                    "{\"claims\": {\"sub\": \"auth0|someone-else\"}}").statusCode()).isEqualTo(403);
        }

        @Test
        @DisplayName("buys a pet")
        void buysAPet() throws Exception {
            HttpResponse<String> bought = buyer.send("POST", "api/pets/3/purchase", "application/json", "{}");

            assertThat(bought.statusCode()).as(bought.body()).isEqualTo(200);
            assertThat(json(bought)).containsEntry("owner", BUYER_SUBJECT);
        }

        @Test
        @DisplayName("forcing an admin's request gets AWS's denial as a readable 403, without a stack trace or a credential")
        void forcedAdd_deniedByAws() throws Exception {
            HttpResponse<String> add = buyer.send("POST", "api/pets", "application/json", "{\"type\":\"tiger\",\"price\":999}");
            HttpResponse<String> remove = buyer.send("DELETE", "api/pets/1", null, null);

            assertThat(add.statusCode()).isEqualTo(403);
            assertThat(json(add)).containsEntry("error", "AccessDenied").containsEntry("service", "execute-api");
            assertThat((String) json(add).get("message")).startsWith("AWS denied this: your role pet-shop-buyer may not add a pet");
            assertThat(add.body()).doesNotContain("Exception").doesNotContain("ASIA");
            assertThat(remove.statusCode()).isEqualTo(403);
            assertThat(buyer.get("api/pets").body()).doesNotContain("tiger").contains("\"dog\"");
        }

        @Test
        @DisplayName("uploads, lists, downloads and deletes files in their own folder")
        void myFiles() throws Exception {
            String content = "a photo of my cat, in bytes";
            HttpResponse<String> put = buyer.send("PUT", "api/files/" + enc("my cat.txt"), "text/plain", content);
            HttpResponse<String> list = buyer.get("api/files");
            HttpResponse<String> download = buyer.get("api/files/" + enc("my cat.txt"));
            HttpResponse<String> delete = buyer.send("DELETE", "api/files/" + enc("my cat.txt"), null, null);
            HttpResponse<String> after = buyer.get("api/files");

            assertThat(put.statusCode()).isEqualTo(201);
            assertThat(json(list)).containsEntry("folder", "pet-shop/" + BUYER_SUBJECT + "/");
            assertThat(JSONObjectUtils.getJSONObjectArray(json(list), "files")).extracting(f -> f.get("name")).contains("my cat.txt");
            assertThat(download.statusCode()).isEqualTo(200);
            assertThat(download.body()).isEqualTo(content);
            assertThat(download.headers().firstValue("Content-Disposition")).hasValue("attachment; filename*=UTF-8''my%20cat.txt");
            assertThat(delete.statusCode()).isEqualTo(204);
            assertThat(JSONObjectUtils.getJSONObjectArray(json(after), "files")).extracting(f -> f.get("name")).doesNotContain("my cat.txt");
            assertThat(sample.environment().aws().s3().keys(Demo.PETS_BUCKET)).doesNotContain(BUYER_SUBJECT + "/my cat.txt");
        }

        @Test
        @DisplayName("cannot open the admin's folder: the scoping denies it")
        void othersFolder_denied() throws Exception {
            HttpResponse<String> peek = buyer.get("api/folders/" + enc(ADMIN_SUBJECT));

            assertThat(peek.statusCode()).isEqualTo(403);
            assertThat((String) json(peek).get("message")).startsWith("AWS denied this: your credentials may not list the folder pet-shop/"
                    + ADMIN_SUBJECT + "/");
        }

        @Test
        @DisplayName("asking for the admin role, which no rule gives them, is refused by the filter")
        void requestsAdminRole_refused() throws Exception {
            HttpResponse<String> me = buyer.exchange(HttpRequest.newBuilder(base.resolve("api/me")).header("Accept", "application/json")
                    .header("X-AWS-Role", "pet-shop-admin"));

            assertThat(me.statusCode()).isEqualTo(403);
            assertThat(me.body()).contains("pet-shop-admin").contains("social-buyers");
        }

        @Test
        @DisplayName("file names that are not plain names are refused by the shop before S3 is called")
        void badFileName_400() throws Exception {
            HttpResponse<String> tooLong = buyer.send("PUT", "api/files/" + "a".repeat(201), "text/plain", "x");
            HttpResponse<String> control = buyer.send("PUT", "api/files/" + enc("bad\u0007name"), "text/plain", "x");

            for (HttpResponse<String> refused : List.of(tooLong, control)) {
                assertThat(refused.statusCode()).isEqualTo(400);
                assertThat((String) json(refused).get("message")).startsWith("A file name is 1-200 characters");
            }
            assertThat(sample.environment().aws().s3().keys(Demo.PETS_BUCKET)).noneMatch(k -> k.startsWith(BUYER_SUBJECT + "/a")
                    || k.contains("bad"));
        }
    }

    @Test
    @DisplayName("the role list names every role the rules permit, and console sign-in posts the console role to the local stand-in for AWS's sign-in, which accepts it")
    void roleListAndConsole() throws Exception {
        HttpUser buyer = HttpUser.buyer(base);
        HttpResponse<String> roles = buyer.get("saml/roles");
        HttpResponse<String> console = buyer.exchange(HttpRequest.newBuilder(base.resolve("saml/console")).header("Accept", "text/html"));

        assertThat(roles.statusCode()).isEqualTo(200);
        assertThat(roles.body()).contains(Demo.BUYER_ROLE_ARN).contains(SampleEnvironment.CONSOLE_ROLE_ARN);
        assertThat(console.statusCode()).isEqualTo(200);
        URI standIn = sample.environment().aws().sts().consoleSignInUrl();
        assertThat(console.body()).contains("action=\"" + standIn + "\"").contains("name=\"SAMLResponse\"");
        java.util.regex.Matcher field = java.util.regex.Pattern.compile("name=\"SAMLResponse\" value=\"([^\"]+)\"").matcher(console.body());
        assertThat(field.find()).isTrue();
        HttpResponse<String> signedIn = java.net.http.HttpClient.newHttpClient().send(HttpRequest.newBuilder(standIn)
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString("SAMLResponse=" + enc(field.group(1)))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(signedIn.statusCode()).as(signedIn.body()).isEqualTo(200);
        assertThat(signedIn.body()).contains("<dd class=\"role-arn\">" + SampleEnvironment.CONSOLE_ROLE_ARN + "</dd>",
                "assumed-role/pet-shop-console/");
    }

    @Test
    @DisplayName("the console role, trusted through the app's own SAML metadata, gives credentials too (AssumeRoleWithSAML)")
    void consoleRole_assumedWithSaml() throws Exception {
        HttpUser admin = HttpUser.admin(base);
        HttpResponse<String> me = admin.exchange(HttpRequest.newBuilder(base.resolve("api/me")).header("X-AWS-Role", "pet-shop-console"));

        assertThat(me.statusCode()).as(me.body()).isEqualTo(200);
        assertThat((String) json(me).get("assumedRoleArn")).contains("assumed-role/pet-shop-console/");
        assertThat(sample.environment().aws().sts().calls()).anyMatch(call -> call.action().equals("AssumeRoleWithSAML"));
        HttpResponse<String> files = admin.exchange(HttpRequest.newBuilder(base.resolve("api/files")).header("X-AWS-Role", "pet-shop-console"));
        assertThat(files.statusCode()).isEqualTo(403);
        assertThat((String) json(files).get("message")).contains("Role pet-shop-console does not allow it").doesNotContain("session policy");
    }

    @Test
    @DisplayName("a bug in the shop answers a short JSON 500, never the container's page with a stack trace")
    void unexpectedFailure_shortJson500() throws Exception {
        HttpResponse<String> bug = HttpUser.buyer(base).get("api/bug");

        assertThat(bug.statusCode()).isEqualTo(500);
        assertThat(bug.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
        assertThat(json(bug)).containsEntry("error", "InternalError");
        assertThat(bug.body()).doesNotContain("IllegalStateException").doesNotContain("internal details").doesNotContain("at io.github");
    }

    static Map<String, Object> json(HttpResponse<String> response) throws ParseException {
        return JSONObjectUtils.parse(response.body());
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
