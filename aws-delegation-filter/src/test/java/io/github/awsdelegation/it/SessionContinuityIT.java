package io.github.awsdelegation.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.SignedJWT;
import io.github.awsdelegation.DelegationService;
import io.github.awsdelegation.config.DelegationConfigLoader;
import io.github.awsdelegation.servlet.AwsDelegationFilter;
import io.github.awsdelegation.testkit.Demo;
import io.github.awsdelegation.testkit.FakeClock;
import io.github.awsdelegation.testkit.LocalAws;
import io.github.awsdelegation.testkit.LocalIdentityProvider;
import io.github.awsdelegation.testkit.LocalSts;
import io.github.awsdelegation.testkit.StsCall;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.catalina.Context;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.session.StandardManager;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.descriptor.web.FilterDef;
import org.apache.tomcat.util.descriptor.web.FilterMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The built-in login's session over HTTP, on embedded Tomcat, against the testkit's IdP (5-minute ID tokens, as
 * Keycloak's, with refresh tokens) and STS, all reading one fake clock that the tests advance instead of waiting.
 * The session lasts its own idle timeout (20 minutes here) and maximum age (1 hour), not the ID token's 5 minutes.
 */
class SessionContinuityIT {

    static final String WEB_IDENTITY = "AssumeRoleWithWebIdentity";
    static final Duration ID_TOKEN_LIFETIME = Duration.ofMinutes(5);
    static final String SOCIAL_LOGIN = "connection=amazon";

    static FakeClock clock;
    static LocalAws aws;
    static LocalIdentityProvider idp;
    static LocalSts sts;
    static DelegationService service;
    static Tomcat tomcat;
    static Context shop;
    static URI base;
    // A "provider" that accepts connections and closes them: each discovery attempt is one accept.
    static ServerSocket deadIdp;
    static final AtomicInteger deadIdpConnections = new AtomicInteger();
    static URI downBase;

    @BeforeAll
    static void start() throws Exception {
        clock = FakeClock.at(Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
        aws = LocalAws.builder().clock(clock).identityProvider(b -> b.idTokenLifetime(ID_TOKEN_LIFETIME)).start();
        idp = aws.identityProvider();
        sts = aws.sts();
        service = DelegationService.create(DelegationConfigLoader.create().parse(ItConfig.of(aws)
                .sts("sessionDuration", "15m").sts("callTimeout", "3s")
                .section("cache", "refreshAhead: 5m")
                .section("login", """
                        idleTimeout: 20m
                        maxAge: 1h
                        afterLogout: /bye
                        """)
                .rule("social-buyers", "social", ItConfig.role(Demo.BUYER_ROLE_ARN))
                .rule("database-admins", "database", ItConfig.role(Demo.ADMIN_ROLE_ARN), ItConfig.role(Demo.BUYER_ROLE_ARN))
                .yaml()), clock);

        deadIdp = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
        Thread acceptor = new Thread(() -> {
            while (!deadIdp.isClosed()) {
                try (Socket s = deadIdp.accept()) {
                    deadIdpConnections.incrementAndGet();
                } catch (IOException closed) {
                    return;
                }
            }
        }, "dead-idp");
        acceptor.setDaemon(true);
        acceptor.start();
        DelegationService down = DelegationService.create(DelegationConfigLoader.create().parse(ItConfig.of(
                        URI.create("http://127.0.0.1:" + deadIdp.getLocalPort() + "/"), sts.endpoint())
                .clientId("shop")
                .section("login", "{}")
                .rule("all", null, ItConfig.role(Demo.BUYER_ROLE_ARN))
                .yaml()), clock);

        tomcat = new Tomcat();
        tomcat.setBaseDir(Files.createTempDirectory("session-continuity-it").toString());
        Connector connector = new Connector();
        connector.setPort(0);
        connector.setProperty("address", "127.0.0.1");
        tomcat.setConnector(connector);
        shop = context("/shop", new AwsDelegationFilter(service, clock));
        context("/down", new AwsDelegationFilter(down, clock));
        tomcat.start();
        base = URI.create("http://127.0.0.1:" + connector.getLocalPort() + "/shop/");
        downBase = URI.create("http://127.0.0.1:" + connector.getLocalPort() + "/down/");
    }

    private static Context context(String path, AwsDelegationFilter filter) {
        Context context = tomcat.addContext(path, null);
        StandardManager manager = new StandardManager();
        manager.setPathname(null); // no sessions written to disk at stop
        context.setManager(manager);
        FilterDef def = new FilterDef();
        def.setFilterName("aws-delegation");
        def.setFilter(filter);
        context.addFilterDef(def);
        FilterMap map = new FilterMap();
        map.setFilterName("aws-delegation");
        map.addURLPattern("/*");
        context.addFilterMap(map);
        Tomcat.addServlet(context, "whoami", new DelegationEchoServlet());
        context.addServletMappingDecoded("/whoami", "whoami");
        // The login's endpoints live in the filter; the container needs a servlet mapped for their paths too.
        Tomcat.addServlet(context, "default", new org.apache.catalina.servlets.DefaultServlet());
        context.addServletMappingDecoded("/", "default");
        return context;
    }

    @AfterAll
    static void stop() throws Exception {
        tomcat.stop();
        tomcat.destroy();
        deadIdp.close();
        service.close();
        aws.close();
    }

    @BeforeEach
    void coldCache() {
        // Each test starts from its own sign-in: nothing cached by an earlier test is due for a refresh meanwhile.
        service.broker().evictUser(idp.issuer().toString(), LocalIdentityProvider.databaseUserSubject(Demo.ADMIN_USERNAME));
        service.broker().evictUser(idp.issuer().toString(), LocalIdentityProvider.socialUserSubject(Demo.BUYER_AMAZON_ID));
    }

    static URI whoami() {
        return base.resolve("whoami");
    }

    static URI whoami(String role) {
        return base.resolve("whoami?aws_role=" + role);
    }

    static Http.Browser signedIn(String form) {
        Http.Browser browser = new Http.Browser();
        HttpResponse<String> landed = browser.signIn(whoami(), form);
        assertThat(landed.statusCode()).as("signed in").isEqualTo(200);
        return browser;
    }

    static Map<String, Object> json(HttpResponse<String> response) {
        try {
            return JSONObjectUtils.parse(response.body());
        } catch (java.text.ParseException e) {
            throw new AssertionError("not JSON: " + response.body(), e);
        }
    }

    static List<StsCall> webIdentityCallsSince(int index) {
        List<StsCall> calls = sts.calls();
        return calls.subList(Math.min(index, calls.size()), calls.size()).stream()
                .filter(c -> c.action().equals(WEB_IDENTITY)).toList();
    }

    /** The answer a page's script gets when its session cannot continue: 401 login_required, JSON, a login URL. */
    static void assertLoginRequired(HttpResponse<String> response, String reasonFragment) {
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        assertThat(response.headers().firstValue("WWW-Authenticate"))
                .hasValueSatisfying(h -> assertThat(h).startsWith("Bearer error=\"login_required\""));
        Map<String, Object> body = json(response);
        assertThat(body).containsEntry("error", "login_required");
        assertThat((String) body.get("error_description")).contains(reasonFragment);
        assertThat((String) body.get("login")).startsWith("/shop/login?return_to=");
    }

    @Test
    @DisplayName("a session outlives its ID token: requests after the token's expiry are served, and STS gets a renewed token")
    void session_survivesIdTokenExpiry_stsGetsFreshToken() {
        Http.Browser browser = signedIn(AwsDelegationFilterIT.DATABASE_LOGIN);
        String adminKey = Http.fields(browser.fetch(whoami()).body()).get("accessKeyId");
        Instant signedIn = clock.instant();
        int refreshes = idp.refreshGrantCount();

        clock.advance(Duration.ofMinutes(6)); // the first ID token has expired
        HttpResponse<String> cached = browser.fetch(whoami());
        assertThat(cached.statusCode()).as("no 401 'expired': the session is the module's").isEqualTo(200);
        assertThat(Http.fields(cached.body())).containsEntry("accessKeyId", adminKey);
        assertThat(idp.refreshGrantCount()).as("cached credentials need no new token").isEqualTo(refreshes);

        int before = sts.calls().size();
        HttpResponse<String> otherRole = browser.fetch(whoami("pet-shop-buyer"));
        assertThat(otherRole.statusCode()).isEqualTo(200);
        assertThat(Http.fields(otherRole.body())).containsEntry("role", "pet-shop-buyer");
        assertThat(idp.refreshGrantCount()).as("renewed once for STS").isEqualTo(refreshes + 1);
        assertThat(webIdentityCallsSince(before)).singleElement().satisfies(call -> {
            assertThat(call.succeeded()).as("the local STS refuses an expired web identity token").isTrue();
            assertThat(call.time()).isAfter(signedIn.plus(ID_TOKEN_LIFETIME));
        });

        // A second lifetime later, the cache's refresh ahead of expiry renews the token again, on its own thread.
        // 13 min: 2 min left of the admin credentials (15 min), the latest refresh point (1 minute above the minimum
        // validity of 1 minute): due whatever their own point between 5 and 2 minutes before expiry.
        clock.advance(Duration.ofMinutes(7));
        int beforeRefresh = sts.calls().size();
        HttpResponse<String> due = browser.fetch(whoami());
        assertThat(due.statusCode()).isEqualTo(200);
        assertThat(Http.fields(due.body())).as("served the current credentials meanwhile").containsEntry("accessKeyId", adminKey);
        String refreshedKey = awaitNewAccessKey(browser, adminKey);
        assertThat(webIdentityCallsSince(beforeRefresh)).singleElement().satisfies(call -> {
            assertThat(call.succeeded()).isTrue();
            assertThat(call.roleArn()).isEqualTo(Demo.ADMIN_ROLE_ARN);
            assertThat(call.accessKeyId()).isEqualTo(refreshedKey);
        });
        assertThat(idp.refreshGrantCount()).isEqualTo(refreshes + 2);
    }

    private static String awaitNewAccessKey(Http.Browser browser, String old) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        String key = old;
        while (key.equals(old) && System.nanoTime() < deadline) {
            sleep(50);
            key = Http.fields(browser.fetch(whoami()).body()).get("accessKeyId");
        }
        assertThat(key).as("credentials refreshed in the background").isNotEqualTo(old);
        return key;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Test
    @DisplayName("idle for longer than login.idleTimeout: a script gets 401 login_required, a navigation signs in again and comes back")
    void idleTimeout_endsSession() {
        Http.Browser script = signedIn(SOCIAL_LOGIN);
        Http.Browser page = signedIn(SOCIAL_LOGIN);

        clock.advance(Duration.ofMinutes(21));

        assertLoginRequired(script.fetch(whoami()), "idle");
        HttpResponse<String> navigation = page.navigate(base.resolve("whoami?after=idle"));
        assertThat(navigation.statusCode()).isEqualTo(302);
        assertThat(navigation.headers().firstValue("Location"))
                .hasValueSatisfying(l -> assertThat(l).startsWith(idp.authorizationEndpoint().toString()));
        HttpResponse<String> back = page.signIn(base.resolve("whoami?after=idle"), SOCIAL_LOGIN);
        assertThat(back.statusCode()).isEqualTo(200);
        assertThat(back.uri().toString()).as("returned where it was").endsWith("/shop/whoami?after=idle");
    }

    @Test
    @DisplayName("an active session still ends at login.maxAge")
    void maxAge_endsActiveSession() {
        Http.Browser browser = signedIn(SOCIAL_LOGIN);
        Instant signIn = clock.instant();
        Map<String, String> app = Map.of();
        for (int minutes = 15; minutes < 60; minutes += 15) {
            clock.advance(Duration.ofMinutes(15));
            HttpResponse<String> active = browser.fetch(whoami());
            assertThat(active.statusCode()).as("active at %d min", minutes).isEqualTo(200);
            app = Http.fields(active.body());
        }
        // At 58 minutes, 2 minutes before they expire (the latest refresh point), the credentials are refreshed (on the
        // cache's thread) to last until 73 minutes, but the session ends at 60: the app is told the earlier end,
        // Delegation.expiresAt().
        clock.advance(Duration.ofMinutes(13));
        String before = Http.fields(browser.fetch(whoami()).body()).get("accessKeyId");
        awaitNewAccessKey(browser, before);
        app = Http.fields(browser.fetch(whoami()).body());
        Instant sessionEnd = signIn.plus(Duration.ofHours(1));
        assertThat(Instant.parse(app.get("expiration"))).isAfter(sessionEnd);
        assertThat(Instant.parse(app.get("sessionEndsAt"))).isEqualTo(sessionEnd);
        assertThat(Instant.parse(app.get("expiresAt"))).isEqualTo(sessionEnd);

        clock.advance(Duration.ofMinutes(5));
        assertLoginRequired(browser.fetch(whoami()), "maximum age");
        assertThat(browser.fetch(whoami()).statusCode()).as("and stays ended").isEqualTo(401);
    }

    @Test
    @DisplayName("a refresh token the provider revoked ends the session when a fresh ID token is needed")
    void revokedRefreshToken_endsSession() {
        Http.Browser browser = signedIn(AwsDelegationFilterIT.DATABASE_LOGIN);
        assertThat(idp.endSessions(LocalIdentityProvider.databaseUserSubject(Demo.ADMIN_USERNAME))).isPositive();
        clock.advance(Duration.ofMinutes(6));
        int before = sts.calls().size();

        assertLoginRequired(browser.fetch(whoami("pet-shop-buyer")), "refused");
        assertThat(webIdentityCallsSince(before)).as("no expired token sent to STS").isEmpty();
        HttpResponse<String> navigation = browser.navigate(whoami());
        assertThat(navigation.statusCode()).as("the session is over for navigations too").isEqualTo(302);
    }

    @Test
    @DisplayName("concurrent requests that all need a fresh ID token cause one refresh")
    void concurrentRequests_oneRefresh() throws Exception {
        Http.Browser browser = signedIn(AwsDelegationFilterIT.DATABASE_LOGIN);
        clock.advance(Duration.ofMinutes(16)); // ID token and both roles' credentials are gone
        int refreshes = idp.refreshGrantCount();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<HttpResponse<String>>> answers = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                URI uri = i % 2 == 0 ? whoami("pet-shop-admin") : whoami("pet-shop-buyer");
                Callable<HttpResponse<String>> call = () -> {
                    go.await();
                    return browser.fetch(uri);
                };
                answers.add(pool.submit(call));
            }
            go.countDown();
            for (Future<HttpResponse<String>> answer : answers) {
                assertThat(answer.get(20, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(idp.refreshGrantCount()).isEqualTo(refreshes + 1);
    }

    @Test
    @DisplayName("a bearer token is still validated on every request: an expired one is 401 invalid_token")
    void bearer_expired_401() {
        String token = idp.idTokenForSocialUser(Demo.BUYER_AMAZON_ID);
        assertThat(Http.bearer(whoami(), token).statusCode()).isEqualTo(200);

        clock.advance(ID_TOKEN_LIFETIME.plusMinutes(2)); // past exp and the 60 s clock skew

        HttpResponse<String> expired = Http.bearer(whoami(), token);
        assertThat(expired.statusCode()).isEqualTo(401);
        assertThat(expired.headers().firstValue("WWW-Authenticate"))
                .hasValueSatisfying(h -> assertThat(h).startsWith("Bearer error=\"invalid_token\""));
        assertThat(expired.body()).contains("expired");
    }

    @Test
    @DisplayName("STS down: a navigation gets a readable 503 page (reason, retry link, sign-out form, no-store, Retry-After); the page's fetch gets the JSON")
    void stsUnavailable_navigationGetsPage_fetchGetsJson() {
        Http.Browser browser = signedIn(SOCIAL_LOGIN);
        service.broker().evictUser(idp.issuer().toString(), LocalIdentityProvider.socialUserSubject(Demo.BUYER_AMAZON_ID));
        sts.setFault(io.github.awsdelegation.testkit.Fault.UNAVAILABLE);
        try {
            HttpResponse<String> page = browser.navigate(base.resolve("whoami?x=%3Cb%3E"));
            HttpResponse<String> api = browser.fetch(whoami());

            assertThat(page.statusCode()).isEqualTo(503);
            assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
            assertThat(page.headers().firstValue("Cache-Control")).hasValue("no-store");
            assertThat(page.headers().firstValue("Retry-After")).isPresent();
            assertThat(page.body()).contains("<h1>AWS credentials are unavailable right now</h1>", "class=\"reason\"",
                    "503 temporarily_unavailable", "try again in " + page.headers().firstValue("Retry-After").orElseThrow() + " s",
                    "<a class=\"button\" id=\"retry\" href=\"/shop/whoami?x=%3Cb%3E\">Try again</a>",
                    "<form method=\"post\" action=\"/shop/logout\" id=\"sign-out-form\">");
            assertThat(page.body()).doesNotContain("Exception", "at io.github", "<b>");

            assertThat(api.statusCode()).isEqualTo(503);
            assertThat(api.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
            assertThat(api.headers().firstValue("Retry-After")).isPresent();
            assertThat(json(api)).containsEntry("status", 503L).containsEntry("error", "temporarily_unavailable")
                    .containsKey("message");
        } finally {
            sts.setFault(io.github.awsdelegation.testkit.Fault.NONE);
        }
    }

    @Test
    @DisplayName("a role the rules do not permit: a navigation gets a 403 page with the (escaped) reason and the sign-out form; fetch gets the JSON")
    void deniedRole_navigationGetsPage_fetchGetsJson() {
        Http.Browser browser = signedIn(SOCIAL_LOGIN);
        URI forbidden = base.resolve("whoami?aws_role=" + Http.enc("<img src=x>"));

        HttpResponse<String> page = browser.navigate(forbidden);
        HttpResponse<String> api = browser.fetch(forbidden);

        assertThat(page.statusCode()).isEqualTo(403);
        assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
        assertThat(page.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(page.body()).contains("<h1>Not allowed</h1>", "403 access_denied", "id=\"sign-out\"", "&lt;img src=x&gt;")
                .doesNotContain("<img");
        assertThat(api.statusCode()).isEqualTo(403);
        assertThat(json(api)).containsEntry("error", "access_denied");
    }

    @Test
    @DisplayName("sign-out is a POST from this origin: a GET shows the button, a cross-site POST is 403 and changes nothing")
    void logout_crossSite_refused() {
        Http.Browser browser = signedIn(SOCIAL_LOGIN);
        URI logout = base.resolve("logout");

        HttpResponse<String> get = browser.navigate(logout);
        assertThat(get.statusCode()).isEqualTo(200);
        assertThat(get.body()).contains("<form method=\"post\" action=\"/shop/logout\"");
        assertThat(browser.fetch(whoami()).statusCode()).as("a GET does not sign out").isEqualTo(200);

        assertThat(browser.post(logout, Map.of("Origin", "https://evil.example")).statusCode()).isEqualTo(403);
        assertThat(browser.post(logout, Map.of("Sec-Fetch-Site", "cross-site")).statusCode()).isEqualTo(403);
        assertThat(browser.post(logout, Map.of("Sec-Fetch-Site", "same-site", "Origin", "http://localhost:" + base.getPort()))
                .statusCode()).as("another origin of the same site").isEqualTo(403);
        HttpResponse<String> noOrigin = browser.post(logout, Map.of());
        assertThat(noOrigin.statusCode()).isEqualTo(403);
        assertThat(noOrigin.body()).contains("cross_site_request", "neither Sec-Fetch-Site, Origin nor Referer");
        assertThat(browser.fetch(whoami()).statusCode()).as("still signed in").isEqualTo(200);
    }

    @Test
    @DisplayName("sign-out ends the session, evicts the credentials and goes to end_session_endpoint with id_token_hint, post_logout_redirect_uri and state")
    void logout_rpInitiated_evicts() throws Exception {
        Http.Browser browser = signedIn(SOCIAL_LOGIN);
        String before = Http.fields(browser.fetch(whoami()).body()).get("accessKeyId");
        int ended = idp.endedSessions().size();

        HttpResponse<String> out = browser.post(base.resolve("logout"), Map.of("Origin", "http://" + base.getAuthority()));

        assertThat(out.statusCode()).isEqualTo(303);
        URI location = URI.create(out.headers().firstValue("Location").orElseThrow());
        assertThat(location.toString()).startsWith(idp.endSessionEndpoint().toString() + "?");
        Map<String, String> query = new java.util.HashMap<>();
        for (String pair : location.getRawQuery().split("&")) {
            String[] kv = pair.split("=", 2);
            query.put(kv[0], java.net.URLDecoder.decode(kv[1], java.nio.charset.StandardCharsets.UTF_8));
        }
        assertThat(query).containsEntry("post_logout_redirect_uri", base.resolve("bye").toString())
                .containsEntry("client_id", Demo.CLIENT_ID).containsKey("state");
        assertThat(query.get("state")).hasSizeGreaterThanOrEqualTo(20);
        assertThat(SignedJWT.parse(query.get("id_token_hint")).getJWTClaimsSet().getSubject())
                .isEqualTo(LocalIdentityProvider.socialUserSubject(Demo.BUYER_AMAZON_ID));

        HttpResponse<String> atIdp = browser.navigate(location);
        assertThat(atIdp.statusCode()).isEqualTo(302);
        assertThat(atIdp.headers().firstValue("Location")).hasValue(base.resolve("bye") + "?state=" + Http.enc(query.get("state")));
        assertThat(idp.endedSessions()).hasSize(ended + 1);

        assertLoginRequired(browser.fetch(whoami()), "no ID token");
        String after = Http.fields(signedIn(SOCIAL_LOGIN).fetch(whoami()).body()).get("accessKeyId");
        assertThat(after).as("new credentials after the eviction").isNotEqualTo(before);
    }

    @Test
    @DisplayName("a forged callback (unknown state) is refused without cancelling the real sign-in in progress")
    void forgedCallback_doesNotCancelRealLogin() {
        Http.Browser browser = new Http.Browser();
        HttpResponse<String> toIdp = browser.navigate(whoami());
        assertThat(toIdp.statusCode()).isEqualTo(302);
        URI authorize = URI.create(toIdp.headers().firstValue("Location").orElseThrow());

        HttpResponse<String> forged = browser.navigate(base.resolve("callback?code=attacker-code&state=attacker-state"));
        assertThat(forged.statusCode()).isEqualTo(400);
        assertThat(forged.body()).contains("does not belong to a sign-in in progress");

        HttpResponse<String> landed = browser.signIn(authorize, SOCIAL_LOGIN);
        assertThat(landed.statusCode()).as("the real sign-in still completes").isEqualTo(200);
        assertThat(landed.uri().getPath()).isEqualTo("/shop/whoami");
    }

    /** The hops of a followed redirect chain, first to last. */
    private static List<HttpResponse<String>> hops(HttpResponse<String> last) {
        List<HttpResponse<String>> hops = new ArrayList<>();
        for (HttpResponse<String> r = last; r != null; r = r.previousResponse().orElse(null)) {
            hops.add(0, r);
        }
        return hops;
    }

    private static HttpResponse<String> callbackHop(HttpResponse<String> landed) {
        return hops(landed).stream().filter(r -> r.uri().getPath().equals("/shop/callback")).findFirst()
                .orElseThrow(() -> new AssertionError("the sign-in went through no /shop/callback"));
    }

    private static String sessionId(HttpResponse<String> response) {
        return response.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("JSESSIONID=")).findFirst()
                .map(c -> c.substring("JSESSIONID=".length(), c.indexOf(';'))).orElse(null);
    }

    @Test
    @DisplayName("signing in gives the browser a new session id: a session id known before the sign-in is not signed in")
    void signIn_changesSessionId() {
        Http.Browser browser = new Http.Browser();
        // The session id of a first sign-in: one an attacker planted in, or learnt from, this browser before the next.
        String before = sessionId(callbackHop(browser.signIn(whoami(), AwsDelegationFilterIT.DATABASE_LOGIN)));

        HttpResponse<String> again = browser.signIn(base.resolve("login?return_to=/whoami"), AwsDelegationFilterIT.DATABASE_LOGIN);
        String after = sessionId(callbackHop(again));

        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(before).as("the earlier sign-in set a session id").isNotNull();
        assertThat(after).as("the sign-in set a new session id").isNotNull().isNotEqualTo(before);
        Http.Browser attacker = new Http.Browser();
        HttpResponse<String> withOldId = attacker.send(java.net.http.HttpRequest.newBuilder(whoami())
                .header("Accept", "application/json").header("Cookie", "JSESSIONID=" + before).GET().build());
        assertThat(withOldId.statusCode()).as("the old session id is signed in as nobody").isEqualTo(401);
    }

    @Test
    @DisplayName("a callback URL replayed (same browser or another) signs nobody in: its state and code are one use")
    void callback_replayed_refused() {
        Http.Browser browser = new Http.Browser();
        HttpResponse<String> landed = browser.signIn(whoami(), SOCIAL_LOGIN);
        assertThat(landed.statusCode()).isEqualTo(200);
        URI callback = callbackHop(landed).uri();

        HttpResponse<String> sameBrowser = browser.navigate(callback);
        Http.Browser attacker = new Http.Browser();
        HttpResponse<String> otherBrowser = attacker.navigate(callback);

        assertThat(sameBrowser.statusCode()).isEqualTo(400);
        assertThat(sameBrowser.body()).contains("does not belong to a sign-in in progress");
        assertThat(otherBrowser.statusCode()).isEqualTo(400);
        assertThat(attacker.fetch(whoami()).statusCode()).as("the attacker is not signed in").isEqualTo(401);
        assertThat(browser.fetch(whoami()).statusCode()).as("the user stays signed in").isEqualTo(200);
    }

    @Test
    @DisplayName("a flood of anonymous navigations creates no server-side session; each pending login is a short-lived cookie")
    void anonymousFlood_noServerState() {
        int sessions = shop.getManager().getActiveSessions();
        for (int i = 0; i < 200; i++) {
            HttpResponse<String> response = new Http.Browser().navigate(base.resolve("whoami?n=" + i));
            assertThat(response.statusCode()).isEqualTo(302);
            if (i == 0) {
                assertThat(response.headers().allValues("Set-Cookie")).singleElement().satisfies(c -> assertThat(c)
                        .startsWith("awsd_login_").contains("Path=/shop/callback", "Max-Age=600", "HttpOnly", "SameSite=Lax"));
            }
        }
        assertThat(shop.getManager().getActiveSessions()).isEqualTo(sessions);
    }

    @Test
    @DisplayName("a failed discovery is remembered for 15 s: logins meanwhile answer 503 at once instead of trying again")
    void discoveryFailure_remembered() {
        HttpResponse<String> first = new Http.Browser().navigate(downBase.resolve("whoami"));
        int attempts = deadIdpConnections.get();
        assertThat(first.statusCode()).isEqualTo(503);
        assertThat(first.headers().firstValue("Retry-After")).isPresent();

        for (int i = 0; i < 5; i++) {
            assertThat(new Http.Browser().navigate(downBase.resolve("login")).statusCode()).isEqualTo(503);
        }
        assertThat(deadIdpConnections.get()).as("no new attempt within 15 s").isEqualTo(attempts);

        clock.advance(Duration.ofSeconds(16));
        assertThat(new Http.Browser().navigate(downBase.resolve("login")).statusCode()).isEqualTo(503);
        awaitAtLeast(deadIdpConnections, attempts + 1);
    }

    private static void awaitAtLeast(AtomicInteger counter, int expected) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (counter.get() < expected && System.nanoTime() < deadline) {
            sleep(20);
        }
        assertThat(counter.get()).as("tried again after 15 s").isGreaterThanOrEqualTo(expected);
    }
}
