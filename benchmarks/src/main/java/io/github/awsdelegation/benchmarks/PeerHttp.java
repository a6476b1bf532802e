package io.github.awsdelegation.benchmarks;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;

/**
 * The same servlet three times in {@link HttpLoad}'s Tomcat: at {@code /without/hello} unprotected, at
 * {@code /with/hello} behind the module's filter, at {@code /peer/hello} behind {@link PeerFilter} (added by
 * {@link HttpLoad#addContext}); wrk loads each in turn, round after round, the order rotating from round to round.
 */
final class PeerHttp {

    /** Where the peer's context is. */
    static final String PEER_CONTEXT = "/peer";

    /** The series, in the order of the first round: without, ours, peer. */
    static final List<String> PATHS = List.of("/without/hello", "/with/hello", PEER_CONTEXT + "/hello");

    /** The medians over the rounds of each path's throughput and latencies, and of the per-round throughput ratios. */
    record Result(Map<String, Double> requestsPerSecond, Map<String, Double> p50Millis, Map<String, Double> p99Millis,
            double oursOverPeer, double oursOverWithout, double peerOverWithout, long errors) {
    }

    private PeerHttp() {
    }

    /**
     * Loads every path for {@code seconds} per round over {@code connections} connections, each request with the token
     * (one user) or with the tokens round-robin (one user per token).
     */
    static Result measure(HttpLoad http, List<String> tokens, int connections, int rounds, int seconds) throws Exception {
        Map<String, List<HttpLoad.WrkResult>> results = new TreeMap<>();
        List<Double> oursOverPeer = new ArrayList<>();
        List<Double> oursOverWithout = new ArrayList<>();
        List<Double> peerOverWithout = new ArrayList<>();
        long errors = 0;
        for (int r = 0; r < rounds; r++) {
            Map<String, HttpLoad.WrkResult> round = new TreeMap<>();
            for (int i = 0; i < PATHS.size(); i++) {
                String path = PATHS.get((i + r) % PATHS.size());
                HttpLoad.WrkResult result = tokens.size() == 1 ? http.wrk(path, tokens.get(0), connections, seconds)
                        : http.wrkUsers(path, tokens, connections, seconds);
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

    /**
     * Checks that both protections are in place: a request with a forged token must get 401 from each (a filter that
     * Tomcat did not set up would let it through, and the rows would measure the bare servlet).
     */
    static void checkProtected(HttpLoad http, String forgedToken) throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        for (String path : PATHS.subList(1, PATHS.size())) {
            HttpResponse<Void> response = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http.port + path))
                    .header("Authorization", "Bearer " + forgedToken).build(), HttpResponse.BodyHandlers.discarding());
            if (response.statusCode() != 401) {
                throw new IllegalStateException(path + " answered a forged token with " + response.statusCode()
                        + ", not 401: its filter is not in place");
            }
        }
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
}
