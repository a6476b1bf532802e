package io.github.awsdelegation.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.awsdelegation.DelegationService;
import io.github.awsdelegation.config.DelegationConfigLoader;
import io.github.awsdelegation.servlet.AwsDelegationFilter;
import io.github.awsdelegation.testkit.Demo;
import io.github.awsdelegation.testkit.FakeClock;
import io.github.awsdelegation.testkit.IdTokenBuilder;
import io.github.awsdelegation.testkit.LocalAws;
import io.github.awsdelegation.testkit.LocalIdentityProvider;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.apache.catalina.Context;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.session.StandardManager;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.descriptor.web.FilterDef;
import org.apache.tomcat.util.descriptor.web.FilterMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Cutting a user off, over HTTP on embedded Tomcat against the testkit's IdP and STS: OpenID Connect Back-Channel
 * Logout 1.0 at {@code login.backchannelLogoutPath} (every refusal of §2.6 answered 400 {@code invalid_request}; a
 * valid logout token ends the user's sessions and drops the credentials), and the administrator's
 * {@link DelegationService#evictSubject}.
 */
class BackchannelLogoutIT {

    static final String ADMIN = LocalIdentityProvider.databaseUserSubject(Demo.ADMIN_USERNAME);

    static FakeClock clock;
    static LocalAws aws;
    static LocalIdentityProvider idp;
    static DelegationService service;
    static Tomcat tomcat;
    static URI base;
    static final java.util.List<io.github.awsdelegation.DelegationEvent> evictions = new java.util.concurrent.CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        clock = FakeClock.at(Instant.now().truncatedTo(ChronoUnit.SECONDS));
        aws = LocalAws.builder().clock(clock).start();
        idp = aws.identityProvider();
        service = DelegationService.create(DelegationConfigLoader.create().parse(ItConfig.of(aws)
                .section("login", "backchannelLogoutPath: /backchannel-logout")
                .rule("database-admins", "database", ItConfig.role(Demo.ADMIN_ROLE_ARN))
                .rule("social-buyers", "social", ItConfig.role(Demo.BUYER_ROLE_ARN))
                .yaml()), clock);
        service.addListener(new io.github.awsdelegation.DelegationListener() {
            @Override
            public void evicted(io.github.awsdelegation.DelegationEvent event) {
                evictions.add(event);
            }
        });
        tomcat = new Tomcat();
        tomcat.setBaseDir(Files.createTempDirectory("backchannel-logout-it").toString());
        Connector connector = new Connector();
        connector.setPort(0);
        connector.setProperty("address", "127.0.0.1");
        tomcat.setConnector(connector);
        Context context = tomcat.addContext("/shop", null);
        StandardManager manager = new StandardManager();
        manager.setPathname(null);
        context.setManager(manager);
        FilterDef def = new FilterDef();
        def.setFilterName("aws-delegation");
        def.setFilter(new AwsDelegationFilter(service, clock));
        context.addFilterDef(def);
        FilterMap map = new FilterMap();
        map.setFilterName("aws-delegation");
        map.addURLPattern("/*");
        context.addFilterMap(map);
        Tomcat.addServlet(context, "whoami", new DelegationEchoServlet());
        context.addServletMappingDecoded("/whoami", "whoami");
        Tomcat.addServlet(context, "default", new org.apache.catalina.servlets.DefaultServlet());
        context.addServletMappingDecoded("/", "default");
        tomcat.start();
        base = URI.create("http://127.0.0.1:" + connector.getLocalPort() + "/shop/");
    }

    @AfterAll
    static void stop() throws Exception {
        tomcat.stop();
        tomcat.destroy();
        service.close();
        aws.close();
    }

    static HttpResponse<String> sendLogout(String logoutToken) {
        return Http.post(base.resolve("backchannel-logout"), "application/x-www-form-urlencoded",
                Http.form(Map.of("logout_token", logoutToken)), Map.of());
    }

    static void assertRefused(HttpResponse<String> response, String fragment) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        assertThat(response.body()).contains("\"error\":\"invalid_request\"").contains(fragment);
    }

    static Arguments refusal(String name, UnaryOperator<IdTokenBuilder> change, String fragment) {
        return Arguments.of(Named.of(name, change), fragment);
    }

    static Stream<Arguments> refusals() {
        return Stream.of(
                refusal("wrong audience", b -> b.audience("another-client"), "does not contain the client id"),
                refusal("nonce present", b -> b.nonce("n-0S6_WzA2Mj"), "nonce"),
                refusal("no events claim", b -> b.withoutClaim("events"), "no events claim"),
                refusal("events without the back-channel logout event",
                        b -> b.claim("events", Map.of("http://schemas.openid.net/event/other", Map.of())), "does not contain"),
                refusal("event value not a JSON object",
                        b -> b.claim("events", Map.of(LocalIdentityProvider.BACKCHANNEL_LOGOUT_EVENT, "yes")), "not a JSON object"),
                refusal("neither sub nor sid", b -> b.withoutClaim("sub"), "neither sub nor sid"),
                refusal("no jti", b -> b.withoutClaim("jti"), "no jti"),
                refusal("iat in the future", b -> b.issuedAt(clock.instant().plus(Duration.ofMinutes(10))), "in the future"),
                refusal("iat too old", b -> b.issuedAt(clock.instant().minus(Duration.ofMinutes(30))), "more than 5 minutes"),
                refusal("no iat", b -> b.withoutClaim("iat"), "no iat"),
                refusal("another issuer", b -> b.issuer("https://evil.example/"), "not the configured issuer"),
                refusal("header typ of an access token", b -> b.type("at+jwt"), "is not logout+jwt"));
    }

    @ParameterizedTest(name = "{0} → 400")
    @MethodSource("refusals")
    @DisplayName("a logout token failing a rule of Back-Channel Logout §2.6 is answered 400 invalid_request, naming the rule")
    void logoutToken_failingARule_400(UnaryOperator<IdTokenBuilder> change, String fragment) {
        assertRefused(sendLogout(change.apply(idp.newLogoutToken().subject(ADMIN)).sign()), fragment);
    }

    @Test
    @DisplayName("a logout token with a bad signature, an ID token, a replayed jti and a wrong content type are refused with 400")
    void forgedReplayedOrMisdirected_400() {
        assertRefused(sendLogout(idp.newLogoutToken().subject(ADMIN).signWithForeignKey()), "invalid signature");
        assertRefused(sendLogout(idp.newLogoutToken().subject(ADMIN).signWithAlgorithm("HS256")), "not allowed");
        assertRefused(sendLogout(idp.newIdToken().subject(ADMIN).sign()), "no events claim");
        String once = idp.newLogoutToken().subject("nobody|replay").sign();
        assertThat(sendLogout(once).statusCode()).isEqualTo(200);
        assertRefused(sendLogout(once), "used before");
        assertRefused(Http.post(base.resolve("backchannel-logout"), "application/json", "{\"logout_token\":\"" + once + "\"}",
                Map.of()), "x-www-form-urlencoded");
        assertRefused(Http.post(base.resolve("backchannel-logout"), "application/x-www-form-urlencoded", "", Map.of()),
                "exactly one logout_token");
        assertThat(Http.get(base.resolve("backchannel-logout"), Map.of()).statusCode()).isEqualTo(405);
    }

    @Test
    @DisplayName("a valid logout token naming the user ends the user's sign-in session (next fetch 401 login_required) and drops the credentials")
    void logoutBySubject_endsSessionAndEvictsCredentials() {
        Http.Browser browser = new Http.Browser();
        assertThat(browser.signIn(base.resolve("whoami"), AwsDelegationFilterIT.DATABASE_LOGIN).statusCode()).isEqualTo(200);
        String key = Http.fields(browser.fetch(base.resolve("whoami")).body()).get("accessKeyId");
        assertThat(key).isNotBlank();
        long cached = service.broker().size();

        HttpResponse<String> answer = sendLogout(idp.newLogoutToken().subject(ADMIN).sign());
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(answer.body()).isEmpty();
        assertThat(service.broker().size()).as("the user's credentials are evicted").isLessThan(cached);
        assertThat(evictions).as("reported for the audit trail").anySatisfy(event -> {
            assertThat(event.subject()).isEqualTo(ADMIN);
            assertThat(event.evictionCause()).isEqualTo(io.github.awsdelegation.DelegationEvent.EvictionCause.BACK_CHANNEL_LOGOUT);
            assertThat(event.entryPoint()).isEqualTo(io.github.awsdelegation.EntryPoint.BACK_CHANNEL_LOGOUT);
        });

        HttpResponse<String> next = browser.fetch(base.resolve("whoami"));
        assertThat(next.statusCode()).isEqualTo(401);
        assertThat(next.body()).contains("login_required").contains("sign in again");

        // Signing in again afterwards works, with new credentials.
        clock.advance(Duration.ofSeconds(2));
        Http.Browser again = new Http.Browser();
        HttpResponse<String> landed = again.signIn(base.resolve("whoami"), AwsDelegationFilterIT.DATABASE_LOGIN);
        assertThat(landed.statusCode()).isEqualTo(200);
        assertThat(Http.fields(again.fetch(base.resolve("whoami")).body()).get("accessKeyId")).isNotEqualTo(key);
    }

    @Test
    @DisplayName("a logout token naming only a provider session (sid) refuses the tokens of that session, not the user's others")
    void logoutBySession_refusesThatSessionOnly() {
        String subject = "auth0|sid-user";
        String inSession = idp.newIdToken().subject(subject).claim("sid", "session-1").sign();
        String otherSession = idp.newIdToken().subject(subject).claim("sid", "session-2").sign();
        assertThat(Http.bearer(base.resolve("whoami"), inSession).statusCode()).isNotEqualTo(401);

        HttpResponse<String> answer = sendLogout(idp.newLogoutToken().withoutClaim("sub").claim("sid", "session-1").sign());
        assertThat(answer.statusCode()).isEqualTo(200);

        HttpResponse<String> refused = Http.bearer(base.resolve("whoami"), inSession);
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(refused.body()).contains("back-channel logout");
        assertThat(Http.bearer(base.resolve("whoami"), otherSession).statusCode()).isNotEqualTo(401);
    }

    @Test
    @DisplayName("a logout token naming the user (sub) and one session (sid), as Keycloak's admin sign-out sends for all of"
            + " the user's sessions, ends every session of the user")
    void logoutBySubjectAndSession_endsAllOfTheUsersSessions() {
        String subject = "auth0|keycloak-admin-signout";
        String inNamedSession = idp.newIdToken().subject(subject).claim("sid", "session-a").sign();
        String inOtherSession = idp.newIdToken().subject(subject).claim("sid", "session-b").sign();
        assertThat(Http.bearer(base.resolve("whoami"), inOtherSession).statusCode()).isNotEqualTo(401);

        HttpResponse<String> answer = sendLogout(idp.newLogoutToken().subject(subject).claim("sid", "session-a").sign());
        assertThat(answer.statusCode()).isEqualTo(200);

        HttpResponse<String> named = Http.bearer(base.resolve("whoami"), inNamedSession);
        assertThat(named.statusCode()).isEqualTo(401);
        HttpResponse<String> other = Http.bearer(base.resolve("whoami"), inOtherSession);
        assertThat(other.statusCode()).as("the session the token did not name").isEqualTo(401);
        assertThat(other.body()).contains("the user's sessions were ended");
    }

    @Test
    @DisplayName("evictSubject cuts a user off now: the signed-in session ends, older ID tokens are refused, newer ones pass")
    void evictSubject_cutsUserOff() {
        Http.Browser browser = new Http.Browser();
        assertThat(browser.signIn(base.resolve("whoami"), AwsDelegationFilterIT.DATABASE_LOGIN).statusCode()).isEqualTo(200);
        String before = idp.newIdTokenForDatabaseUser(Demo.ADMIN_USERNAME).sign();
        assertThat(Http.bearer(base.resolve("whoami"), before).statusCode()).isEqualTo(200);

        service.evictSubject(ADMIN);
        assertThat(evictions).anySatisfy(event ->
                assertThat(event.evictionCause()).isEqualTo(io.github.awsdelegation.DelegationEvent.EvictionCause.ADMIN));

        assertThat(browser.fetch(base.resolve("whoami")).statusCode()).isEqualTo(401);
        HttpResponse<String> old = Http.bearer(base.resolve("whoami"), before);
        assertThat(old.statusCode()).isEqualTo(401);
        assertThat(old.body()).contains("cut off by an administrator");
        clock.advance(Duration.ofSeconds(2));
        assertThat(Http.bearer(base.resolve("whoami"), idp.newIdTokenForDatabaseUser(Demo.ADMIN_USERNAME).sign()).statusCode())
                .as("a token issued after the eviction").isEqualTo(200);
    }
}
