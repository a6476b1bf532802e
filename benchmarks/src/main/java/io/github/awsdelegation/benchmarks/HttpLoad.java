package io.github.awsdelegation.benchmarks;

import io.github.awsdelegation.Delegation;
import io.github.awsdelegation.DelegationService;
import io.github.awsdelegation.servlet.AwsDelegationFilter;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.CookieManager;
import java.net.HttpCookie;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.catalina.Context;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.core.StandardContext;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.descriptor.web.FilterDef;
import org.apache.tomcat.util.descriptor.web.FilterMap;

/**
 * HTTP load with wrk (Debian package {@code wrk}) against embedded Tomcat on 127.0.0.1: the same servlet at
 * {@code /with/hello} behind the filter and at {@code /without/hello} without it, and a many-user load.
 */
final class HttpLoad implements AutoCloseable {

    /** A wrk run's outcome. */
    record WrkResult(double requestsPerSecond, long requests, long non2xx, long socketErrors, double p50Millis,
            double p99Millis, String raw) {
    }

    private final Tomcat tomcat;
    private final Context with;
    final int port;

    HttpLoad(DelegationService service) throws Exception {
        tomcat = new Tomcat();
        tomcat.setBaseDir(Files.createTempDirectory("bench-tomcat").toString());
        Connector connector = new Connector();
        connector.setPort(0);
        connector.setProperty("address", "127.0.0.1");
        connector.setProperty("maxThreads", "200");
        tomcat.setConnector(connector);
        with = addContext("/with", new AwsDelegationFilter(service));
        // The built-in login's endpoints (/login, /callback) live in the filter; the container needs a servlet there.
        with.addServletMappingDecoded("/", "hello");
        Context without = tomcat.addContext("/without", null);
        Tomcat.addServlet(without, "hello", new Hello());
        without.addServletMappingDecoded("/hello", "hello");
        tomcat.start();
        port = connector.getLocalPort();
    }

    /**
     * Adds the same servlet at {@code path + "/hello"} behind a filter: the module's at {@code /with}, and another
     * beside it (the peer rows put the way apps protect it today there). Added after start, Tomcat starts it at once.
     */
    Context addContext(String path, Filter filter) {
        // A started host starts a context as soon as it is added, and a context sets its filters up when it starts:
        // so the context is added to the host last (as Tomcat.addContext does, but that adds it first).
        Context context = new StandardContext();
        context.setName(path);
        context.setPath(path);
        context.addLifecycleListener(new Tomcat.FixContextListener());
        FilterDef def = new FilterDef();
        def.setFilterName("protection");
        def.setFilter(filter);
        context.addFilterDef(def);
        FilterMap map = new FilterMap();
        map.setFilterName("protection");
        map.addURLPattern("/*");
        context.addFilterMap(map);
        Tomcat.addServlet(context, "hello", new Hello());
        context.addServletMappingDecoded("/hello", "hello");
        tomcat.getHost().addChild(context);
        return context;
    }

    /** Answers a few bytes, naming the role when the filter ran: the app's minimum. */
    static final class Hello extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            Delegation d = AwsDelegationFilter.delegation(request).orElse(null);
            response.setContentType("text/plain");
            response.getWriter().write(d == null ? "hello" : "hello " + d.decision().role().roleName());
        }
    }

    /** Runs wrk with one bearer token for every request. */
    WrkResult wrk(String path, String token, int connections, int seconds) throws Exception {
        return wrkWith(path, token == null ? List.of() : List.of("Authorization: Bearer " + token), connections, seconds);
    }

    /** Runs wrk with these headers ({@code Name: value}) on every request. */
    WrkResult wrkWith(String path, List<String> headers, int connections, int seconds) throws Exception {
        List<String> command = new ArrayList<>(List.of("wrk", "-t2", "-c" + connections, "-d" + seconds + "s", "--latency"));
        for (String header : headers) {
            command.addAll(List.of("-H", header));
        }
        command.add("http://127.0.0.1:" + port + path);
        return run(command);
    }

    private final CookieManager browserCookies = new CookieManager();
    private HttpClient browser;

    /**
     * Signs in as a browser does through the built-in login ({@code login:}): opens {@code /with/hello}, is sent to
     * the testkit IdP's login page, posts its form ({@code fields}, e.g. {@code connection=amazon}), follows the
     * redirects back, and returns the headers a page's script then sends on each same-origin {@code fetch()}: the
     * session cookie, {@code Accept: application/json}, {@code Sec-Fetch-Site: same-origin}.
     */
    List<String> signIn(String fields) throws Exception {
        // One client for every sign-in, its cookies cleared for each: a client per sign-in left its connections open
        // until collected, and once the IdP's server held its maximum of idle connections it closed each one after its
        // answer, under the next request that reused it (a reset, every hundred sign-ins or so).
        browserCookies.getCookieStore().removeAll();
        if (browser == null) {
            browser = HttpClient.newBuilder().cookieHandler(browserCookies).followRedirects(HttpClient.Redirect.ALWAYS)
                    .build();
        }
        CookieManager cookies = browserCookies;
        URI page = URI.create("http://127.0.0.1:" + port + "/with/hello");
        HttpResponse<String> login = browser.send(HttpRequest.newBuilder(page).header("Accept", "text/html")
                .header("Sec-Fetch-Mode", "navigate").header("Sec-Fetch-Site", "none").GET().build(),
                HttpResponse.BodyHandlers.ofString());
        Matcher tx = Pattern.compile("name=\"tx\" value=\"([^\"]+)\"").matcher(login.body());
        if (!tx.find()) {
            throw new IllegalStateException("expected the IdP's login page at " + login.uri() + ", got " + login.statusCode());
        }
        String form = "tx=" + URLEncoder.encode(tx.group(1), StandardCharsets.UTF_8) + "&" + fields;
        HttpResponse<String> landed = browser.send(HttpRequest.newBuilder(login.uri().resolve("/authorize"))
                .header("Accept", "text/html").header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        if (landed.statusCode() != 200 || !landed.uri().getPath().equals("/with/hello")) {
            throw new IllegalStateException("sign-in did not land on the page: " + landed.statusCode() + " " + landed.uri());
        }
        HttpCookie session = cookies.getCookieStore().get(page).stream().filter(c -> c.getName().equals("JSESSIONID"))
                .findFirst().orElseThrow(() -> new IllegalStateException("no session cookie after sign-in"));
        return List.of("Cookie: JSESSIONID=" + session.getValue(), "Accept: application/json",
                "Sec-Fetch-Mode: cors", "Sec-Fetch-Site: same-origin");
    }

    // A sign-in of many in a row, tried again once when a kept-alive connection was reset under it (the JDK client does
    // not retry a POST); a second failure is the benchmark's failure.
    private void signInRetried(String fields) throws Exception {
        try {
            signIn(fields);
        } catch (java.io.IOException reset) {
            System.err.println("sign-in failed (" + reset.getMessage() + "), trying once more");
            signIn(fields);
        }
    }

    /** What a signed-in user's sign-in session costs: serialized, and on the heap. */
    record SessionSize(int users, long serializedBytes, double heapBytesPerUser) {
    }

    private static final String SIGN_IN_ATTRIBUTE = "io.github.awsdelegation.servlet.internal.RelyingPartySession";

    /**
     * Signs {@code users} browsers in through the built-in login and measures their sign-in sessions (the attribute the
     * module keeps in the HTTP session: issuer, subject, times, the ID and refresh tokens): the serialized size of one
     * (what a container persists or replicates), and the heap they hold, as the heap freed when the attributes are taken
     * out of the HTTP sessions again. The verified identity they share with the validated-token cache is not counted:
     * the cache keeps it too.
     */
    SessionSize sessionSize(int users) throws Exception {
        java.util.Set<org.apache.catalina.Session> before = new java.util.HashSet<>(List.of(with.getManager().findSessions()));
        for (int u = 0; u < users; u++) {
            signInRetried("connection=amazon");
        }
        List<org.apache.catalina.Session> signedIn = new ArrayList<>(List.of(with.getManager().findSessions()));
        signedIn.removeAll(before);
        if (signedIn.size() < users) {
            throw new IllegalStateException("expected " + users + " new sessions, found " + signedIn.size());
        }
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(bytes)) {
            out.writeObject(signedIn.get(0).getSession().getAttribute(SIGN_IN_ATTRIBUTE));
        }
        long held = MemoryHarness.usedHeap();
        for (org.apache.catalina.Session session : signedIn) {
            session.getSession().removeAttribute(SIGN_IN_ATTRIBUTE);
        }
        long freed = held - MemoryHarness.usedHeap();
        return new SessionSize(signedIn.size(), bytes.size(), (double) freed / signedIn.size());
    }

    /** Runs wrk with the tokens taken round-robin, one user per token. */
    WrkResult wrkUsers(String path, List<String> tokens, int connections, int seconds) throws Exception {
        Path file = Files.createTempFile("tokens", ".txt");
        Files.write(file, tokens, StandardCharsets.US_ASCII);
        Path script = Files.createTempFile("users", ".lua");
        Files.writeString(script, """
                local tokens = {}
                for line in io.lines("%s") do tokens[#tokens + 1] = line end
                local counter = 0
                function setup(thread) thread:set("offset", counter); counter = counter + 1 end
                function init(args) n = tonumber(offset) end
                function request()
                  n = n + 2
                  local token = tokens[(n %% #tokens) + 1]
                  return wrk.format("GET", nil, {["Authorization"] = "Bearer " .. token})
                end
                """.formatted(file));
        return run(List.of("wrk", "-t2", "-c" + connections, "-d" + seconds + "s", "--latency", "--timeout", "10s",
                "-s", script.toString(), "http://127.0.0.1:" + port + path));
    }

    private static WrkResult run(List<String> command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IllegalStateException("wrk failed: " + out);
        }
        return new WrkResult(number(out, "Requests/sec:\\s+([\\d.]+)"), (long) number(out, "(\\d+) requests in"),
                (long) number(out, "Non-2xx or 3xx responses:\\s+(\\d+)"), socketErrors(out),
                millis(out, "50%"), millis(out, "99%"), out);
    }

    private static double number(String out, String regex) {
        Matcher m = Pattern.compile(regex).matcher(out);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    private static long socketErrors(String out) {
        Matcher m = Pattern.compile("Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)").matcher(out);
        if (!m.find()) {
            return 0;
        }
        long sum = 0;
        for (int i = 1; i <= 4; i++) {
            sum += Long.parseLong(m.group(i));
        }
        return sum;
    }

    private static double millis(String out, String percentile) {
        Matcher m = Pattern.compile(Pattern.quote(percentile) + "\\s+([\\d.]+)(us|ms|s)").matcher(out);
        if (!m.find()) {
            return Double.NaN;
        }
        double value = Double.parseDouble(m.group(1));
        return switch (m.group(2)) {
            case "us" -> value / 1000;
            case "s" -> value * 1000;
            default -> value;
        };
    }

    @Override
    public void close() throws Exception {
        tomcat.stop();
        tomcat.destroy();
    }
}
