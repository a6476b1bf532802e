package io.github.awsdelegation.benchmarks;

import io.github.awsdelegation.DelegationService;
import io.github.awsdelegation.servlet.AwsDelegationFilter;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.catalina.Context;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.descriptor.web.FilterDef;
import org.apache.tomcat.util.descriptor.web.FilterMap;

/**
 * The same servlet three times in one embedded Tomcat on 127.0.0.1 (the set-up of {@link HttpLoad}): at
 * {@code /without/hello} unprotected, at {@code /ours/hello} behind the module's filter, at {@code /peer/hello} behind
 * {@link PeerFilter}; wrk (Debian package {@code wrk}) loads each in turn, round after round.
 */
final class PeerHttp implements AutoCloseable {

    /** The series, in the order of the first round (later rounds rotate it). */
    static final List<String> PATHS = List.of("/without/hello", "/ours/hello", "/peer/hello");

    /** The medians over the rounds of each path's throughput and latencies, and of the per-round throughput ratios. */
    record Result(Map<String, Double> requestsPerSecond, Map<String, Double> p50Millis, Map<String, Double> p99Millis,
            double oursOverPeer, double oursOverWithout, double peerOverWithout, long errors) {
    }

    private final Tomcat tomcat;
    private final int port;

    PeerHttp(DelegationService service, PeerFilter peer) throws Exception {
        tomcat = new Tomcat();
        tomcat.setBaseDir(Files.createTempDirectory("bench-tomcat-peers").toString());
        Connector connector = new Connector();
        connector.setPort(0);
        connector.setProperty("address", "127.0.0.1");
        connector.setProperty("maxThreads", "200");
        tomcat.setConnector(connector);
        context("/without", null, new HttpLoad.Hello());
        context("/ours", new AwsDelegationFilter(service), new HttpLoad.Hello());
        context("/peer", peer, new PeerHello());
        tomcat.start();
        port = connector.getLocalPort();
    }

    private void context(String path, Filter filter, HttpServlet servlet) {
        Context context = tomcat.addContext(path, null);
        if (filter != null) {
            FilterDef def = new FilterDef();
            def.setFilterName("protection");
            def.setFilter(filter);
            context.addFilterDef(def);
            FilterMap map = new FilterMap();
            map.setFilterName("protection");
            map.addURLPattern("/*");
            context.addFilterMap(map);
        }
        Tomcat.addServlet(context, "hello", servlet);
        context.addServletMappingDecoded("/hello", "hello");
    }

    /** The peer's side of {@link HttpLoad.Hello}: the same bytes, once the peer set the credentials. */
    static final class PeerHello extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            boolean credentials = request.getAttribute(PeerFilter.CREDENTIALS_ATTRIBUTE) != null;
            response.setContentType("text/plain");
            response.getWriter().write(credentials ? "hello pet-shop-buyer" : "hello");
        }
    }

    /**
     * Loads every path for {@code seconds} per round, each request with one of the tokens (round-robin when there are
     * several, one user per token), over {@code connections} connections.
     */
    Result measure(List<String> tokens, int connections, int rounds, int seconds) throws Exception {
        Path script = script(tokens);
        Map<String, List<HttpLoad.WrkResult>> results = new TreeMap<>();
        List<Double> oursOverPeer = new ArrayList<>();
        List<Double> oursOverWithout = new ArrayList<>();
        List<Double> peerOverWithout = new ArrayList<>();
        long errors = 0;
        for (int r = 0; r < rounds; r++) {
            Map<String, HttpLoad.WrkResult> round = new TreeMap<>();
            for (int i = 0; i < PATHS.size(); i++) {
                String path = PATHS.get((i + r) % PATHS.size());
                HttpLoad.WrkResult result = wrk(path, tokens, script, connections, seconds);
                round.put(path, result);
                results.computeIfAbsent(path, p -> new ArrayList<>()).add(result);
                errors += result.non2xx() + result.socketErrors();
            }
            double without = round.get(PATHS.get(0)).requestsPerSecond();
            double ours = round.get(PATHS.get(1)).requestsPerSecond();
            double peer = round.get(PATHS.get(2)).requestsPerSecond();
            oursOverPeer.add(ours / peer);
            oursOverWithout.add(ours / without);
            peerOverWithout.add(peer / without);
        }
        return new Result(medians(results, HttpLoad.WrkResult::requestsPerSecond), medians(results, HttpLoad.WrkResult::p50Millis),
                medians(results, HttpLoad.WrkResult::p99Millis), median(oursOverPeer), median(oursOverWithout),
                median(peerOverWithout), errors);
    }

    private static Map<String, Double> medians(Map<String, List<HttpLoad.WrkResult>> results,
            ToDoubleFunction<HttpLoad.WrkResult> value) {
        Map<String, Double> medians = new TreeMap<>();
        results.forEach((path, list) -> medians.put(path, median(list.stream().map(value::applyAsDouble).toList())));
        return medians;
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }

    // A wrk script sending the tokens round-robin, as a bearer token each.
    private static Path script(List<String> tokens) throws IOException {
        Path file = Files.createTempFile("peer-tokens", ".txt");
        Files.write(file, tokens, StandardCharsets.US_ASCII);
        Path script = Files.createTempFile("peer-users", ".lua");
        Files.writeString(script, """
                local tokens = {}
                for line in io.lines("%s") do tokens[#tokens + 1] = line end
                local counter = 0
                function setup(thread) thread:set("offset", counter); counter = counter + 1 end
                function init(args) n = tonumber(offset) end
                function request()
                  n = n + 2
                  return wrk.format("GET", nil, {["Authorization"] = "Bearer " .. tokens[(n %% #tokens) + 1]})
                end
                """.formatted(file));
        return script;
    }

    private HttpLoad.WrkResult wrk(String path, List<String> tokens, Path script, int connections, int seconds)
            throws Exception {
        List<String> command = new ArrayList<>(List.of("wrk", "-t2", "-c" + connections, "-d" + seconds + "s", "--latency",
                "--timeout", "10s"));
        // One user: the header on every request as HttpLoad sends it (a script costs wrk time on the shared cores).
        command.addAll(tokens.size() == 1 ? List.of("-H", "Authorization: Bearer " + tokens.get(0))
                : List.of("-s", script.toString()));
        command.add("http://127.0.0.1:" + port + path);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IllegalStateException("wrk failed: " + out);
        }
        Matcher errors = Pattern.compile("Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)").matcher(out);
        long socketErrors = 0;
        if (errors.find()) {
            for (int i = 1; i <= 4; i++) {
                socketErrors += Long.parseLong(errors.group(i));
            }
        }
        return new HttpLoad.WrkResult(number(out, "Requests/sec:\\s+([\\d.]+)"), (long) number(out, "(\\d+) requests in"),
                (long) number(out, "Non-2xx or 3xx responses:\\s+(\\d+)"), socketErrors, millis(out, "50%"),
                millis(out, "99%"), out);
    }

    private static double number(String out, String regex) {
        Matcher m = Pattern.compile(regex).matcher(out);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    // wrk's latency distribution line, e.g. "99%  1.20ms", in milliseconds.
    private static double millis(String out, String percentile) {
        Matcher m = Pattern.compile(Pattern.quote(percentile) + "\\s+([\\d.]+)(us|ms|s)").matcher(out);
        if (!m.find()) {
            return Double.NaN;
        }
        double value = Double.parseDouble(m.group(1));
        return m.group(2).equals("us") ? value / 1000 : m.group(2).equals("s") ? value * 1000 : value;
    }

    @Override
    public void close() throws Exception {
        tomcat.stop();
        tomcat.destroy();
    }
}
