package io.github.awsdelegation.cluster;

import io.github.awsdelegation.testkit.LocalIdentityProvider;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;

/**
 * The cluster's clients: users presenting their ID token as a bearer token ({@code Authorization: Bearer}), each
 * sending requests round-robin over the nodes, all users at once. A request is an error unless the node answers 200.
 */
final class LoadClient implements AutoCloseable {

    /** How many requests are in flight at most, over all nodes. */
    private static final int IN_FLIGHT = 24;

    /** One user of the cluster: a social ("Continue with Amazon") subject, which the sample's rules make a buyer. */
    record User(String subject, String idToken) {

        @Override
        public String toString() {
            return "User[" + subject + "]";  // never the token
        }
    }

    /** What one request got. */
    record Outcome(User user, URI node, int status, String body) {

        boolean ok() {
            return status == 200;
        }

        @Override
        public String toString() {
            return user.subject() + " at " + node + ": " + status + " " + body.substring(0, Math.min(body.length(), 300));
        }
    }

    private final ExecutorService executor = Executors.newFixedThreadPool(8);
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(executor)
            .connectTimeout(Duration.ofSeconds(5)).build();

    /** {@code count} users whose ID tokens stay valid for 3 hours, their subjects prefixed with {@code prefix}. */
    static List<User> users(LocalIdentityProvider idp, String prefix, int count) {
        List<User> users = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String subject = "amazon|" + prefix + "-" + i;
            users.add(new User(subject, idp.newIdToken().subject(subject).expiresIn(Duration.ofHours(3)).sign()));
        }
        return users;
    }

    /**
     * Sends {@code requestsPerUser} {@code GET path} requests for every user, user {@code i}'s request {@code j} to node
     * {@code (i + j) mod nodes}: one user's requests follow each other at once (so they reach every node together), and
     * the users overlap; returns every outcome.
     *
     * @param nodes supplies the nodes to spread over, asked for before each request (a killed node leaves it)
     */
    List<Outcome> run(List<User> users, int requestsPerUser, Supplier<List<URI>> nodes, String path) {
        Semaphore inFlight = new Semaphore(IN_FLIGHT);
        List<Outcome> outcomes = Collections.synchronizedList(new ArrayList<>());
        List<CompletableFuture<?>> sent = new ArrayList<>();
        for (int i = 0; i < users.size(); i++) {
            for (int j = 0; j < requestsPerUser; j++) {
                sent.add(submit(users.get(i), nodes.get(), i + j, path, inFlight, outcomes));
            }
        }
        CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).exceptionally(e -> null).join();
        return outcomes;
    }

    /**
     * Sends rounds of requests until {@code duration} has passed: in each round, one {@code GET path} per user, user
     * {@code i}'s to node {@code (i + round) mod nodes}; returns every outcome.
     */
    List<Outcome> runFor(List<User> users, Duration duration, Supplier<List<URI>> nodes, String path) {
        Semaphore inFlight = new Semaphore(IN_FLIGHT);
        List<Outcome> outcomes = Collections.synchronizedList(new ArrayList<>());
        long end = System.nanoTime() + duration.toNanos();
        for (int round = 0; System.nanoTime() < end; round++) {
            List<CompletableFuture<?>> sent = new ArrayList<>();
            for (int i = 0; i < users.size(); i++) {
                sent.add(submit(users.get(i), nodes.get(), i + round, path, inFlight, outcomes));
            }
            CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).exceptionally(e -> null).join();
        }
        return outcomes;
    }

    private CompletableFuture<?> submit(User user, List<URI> live, int spread, String path, Semaphore inFlight, List<Outcome> outcomes) {
        URI node = live.get(spread % live.size());
        inFlight.acquireUninterruptibly();
        return send(user, node, path).whenComplete((outcome, failure) -> {
            inFlight.release();
            outcomes.add(failure == null ? outcome : new Outcome(user, node, -1, failure.toString()));
        });
    }

    /** Sends one {@code GET path} of the user to the node. */
    CompletableFuture<Outcome> send(User user, URI node, String path) {
        HttpRequest request = HttpRequest.newBuilder(node.resolve(path)).header("Accept", "application/json")
                .header("Authorization", "Bearer " + user.idToken()).timeout(Duration.ofSeconds(60)).build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                .thenApply(response -> new Outcome(user, node, response.statusCode(), response.body()));
    }

    /** The outcomes that are not 200. */
    static List<Outcome> errors(List<Outcome> outcomes) {
        return outcomes.stream().filter(outcome -> !outcome.ok()).toList();
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
