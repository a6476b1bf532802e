package io.github.awsdelegation.benchmarks;

import io.github.awsdelegation.DelegationService;
import io.github.awsdelegation.config.DelegationConfig;
import io.github.awsdelegation.config.DelegationConfigLoader;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * The cluster rows: "nodes" are {@link DelegationService}s in this JVM, each with its own credential store: the local
 * one (each node on its own), Redis (a {@code redis-server} on 127.0.0.1 started here) or Hazelcast (an embedded member
 * each, on a TCP member list of 127.0.0.1 ports). Users' requests go round-robin over the nodes from 32 threads; the
 * local STS counts the calls. The hot path compares one cached user's request on a clustered store (its near-cache)
 * with the local store's: every store's node alive in this JVM at once, measured in turn, round after round. The cluster
 * suite (aws-delegation-cluster-tests) proves the same with three JVMs; this
 * measures.
 */
final class ClusterHarness {

    /** STS calls for {@code users} users, each sending {@code requestsPerUser} requests round-robin over the nodes. */
    record Calls(String store, int nodes, int users, long requests, long calls) {
    }

    /**
     * One cached user's request on a store's node: median and 99th percentile of every round's requests, in nanoseconds,
     * and the median over the rounds of the round's median divided by the local store's median of the same round.
     */
    record HotPath(String store, double p50Nanos, double p99Nanos, double p50Ratio) {
    }

    private ClusterHarness() {
    }

    /** The clustered stores whose modules are on the class path, by name ({@code hazelcast}, {@code redis}). */
    static List<String> clusteredStores() {
        List<String> names = new ArrayList<>();
        java.util.ServiceLoader.load(io.github.awsdelegation.cache.CredentialStoreProvider.class).forEach(p -> names.add(p.name()));
        names.sort(null);
        return names;
    }

    static Calls stsCalls(String store, int nodes, int users, int requestsPerUser) throws Exception {
        try (BenchEnvironment env = new BenchEnvironment(java.time.Clock.systemUTC()); Stores stores = new Stores(store, nodes)) {
            List<DelegationService> services = stores.services(env);
            try {
                String[] tokens = new String[users];
                for (int u = 0; u < users; u++) {
                    tokens[u] = env.token("cluster-" + store + "-" + nodes + "-" + u);
                }
                int before = env.aws.sts().callCount("AssumeRoleWithWebIdentity");
                ExecutorService pool = Executors.newFixedThreadPool(32);
                try {
                    List<Future<?>> work = new ArrayList<>();
                    for (int u = 0; u < users; u++) {
                        for (int r = 0; r < requestsPerUser; r++) {
                            DelegationService node = services.get((u + r) % nodes);
                            String token = tokens[u];
                            work.add(pool.submit(() -> node.delegate(token, null, null)));
                        }
                    }
                    for (Future<?> f : work) {
                        f.get(2, TimeUnit.MINUTES);
                    }
                } finally {
                    pool.shutdownNow();
                }
                return new Calls(store, nodes, users, (long) users * requestsPerUser,
                        env.aws.sts().callCount("AssumeRoleWithWebIdentity") - before);
            } finally {
                services.forEach(DelegationService::close);
            }
        }
    }

    /**
     * Measures the hot path on one node of each store (the first is the reference, {@code local}), all alive at once
     * in this JVM: after a warm-up of each, {@code rounds} rounds of {@code iterations} requests per node, the nodes'
     * order turning from round to round, so that load on the machine and the JIT's state fall on every store alike.
     */
    static List<HotPath> hotPaths(List<String> stores, int rounds, int iterations) throws Exception {
        List<Stores> nodes = new ArrayList<>();
        List<DelegationService> services = new ArrayList<>();
        try (BenchEnvironment env = new BenchEnvironment(java.time.Clock.systemUTC())) {
            try {
                for (String store : stores) {
                    Stores node = new Stores(store, 1);
                    nodes.add(node);
                    services.add(node.services(env).get(0));
                }
                String[] tokens = new String[stores.size()];
                for (int s = 0; s < stores.size(); s++) {
                    tokens[s] = env.token("hot-node-" + s); // tokens of one length: the same hashing work for each
                    for (int i = 0; i < 2 * iterations; i++) {
                        services.get(s).delegate(tokens[s], null, null); // the first calls STS, the rest warm up
                    }
                }
                long[][] nanos = new long[stores.size()][rounds * iterations];
                double[][] roundMedians = new double[stores.size()][rounds];
                long[] round = new long[iterations];
                for (int r = 0; r < rounds; r++) {
                    for (int k = 0; k < stores.size(); k++) {
                        int s = (r + k) % stores.size();
                        DelegationService service = services.get(s);
                        String token = tokens[s];
                        for (int i = 0; i < iterations; i++) {
                            long start = System.nanoTime();
                            service.delegate(token, null, null);
                            round[i] = System.nanoTime() - start;
                        }
                        System.arraycopy(round, 0, nanos[s], r * iterations, iterations);
                        Arrays.sort(round);
                        roundMedians[s][r] = round[iterations / 2];
                    }
                }
                List<HotPath> paths = new ArrayList<>();
                for (int s = 0; s < stores.size(); s++) {
                    Arrays.sort(nanos[s]);
                    double[] ratios = new double[rounds];
                    for (int r = 0; r < rounds; r++) {
                        ratios[r] = roundMedians[s][r] / roundMedians[0][r];
                    }
                    Arrays.sort(ratios);
                    paths.add(new HotPath(stores.get(s), nanos[s][nanos[s].length / 2], nanos[s][(int) (nanos[s].length * 0.99)],
                            ratios[rounds / 2]));
                }
                return paths;
            } finally {
                services.forEach(DelegationService::close);
                nodes.forEach(Stores::close);
            }
        }
    }

    /** The nodes' stores: the configuration of each, and the Redis server when the store is Redis. */
    private static final class Stores implements AutoCloseable {

        private final String store;
        private final int nodes;
        private final String key = randomKey();
        private final List<Integer> hazelcastPorts = new ArrayList<>();
        private final String clusterName = "bench-" + UUID.randomUUID();
        private Process redis;
        private int redisPort;

        Stores(String store, int nodes) {
            this.store = store;
            this.nodes = nodes;
            if (store.equals("redis")) {
                startRedis();
            }
            for (int i = 0; i < nodes; i++) {
                hazelcastPorts.add(freePort());
            }
        }

        List<DelegationService> services(BenchEnvironment env) {
            List<DelegationService> services = new ArrayList<>();
            for (int i = 0; i < nodes; i++) {
                services.add(DelegationService.create(config(env, i), java.time.Clock.systemUTC()));
            }
            return services;
        }

        private DelegationConfig config(BenchEnvironment env, int node) {
            String cache = switch (store) {
                case "local" -> "";
                case "redis" -> """
                        cache:
                          store: redis
                          encryption:
                            keys:
                              bench: %s
                          redis:
                            uri: redis://127.0.0.1:%d
                        """.formatted(key, redisPort);
                case "hazelcast" -> """
                        cache:
                          store: hazelcast
                          encryption:
                            keys:
                              bench: %s
                          hazelcast:
                            clusterName: %s
                            host: 127.0.0.1
                            port: %d
                            members: [%s]
                        """.formatted(key, clusterName, hazelcastPorts.get(node),
                        String.join(", ", hazelcastPorts.stream().map(p -> "127.0.0.1:" + p).toList()));
                default -> throw new IllegalArgumentException(store);
            };
            return DelegationConfigLoader.withVariables(Map.of()).parse(env.document() + cache);
        }

        private void startRedis() {
            redisPort = freePort();
            String binary = new File("/usr/bin/redis-server").canExecute() ? "/usr/bin/redis-server" : "redis-server";
            try {
                redis = new ProcessBuilder(List.of("timeout", "600s", binary, "--port", Integer.toString(redisPort), "--bind", "127.0.0.1",
                        "--save", "", "--appendonly", "no")).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            } catch (IOException e) {
                throw new UncheckedIOException("redis-server cannot be started: apt-get install redis-server", e);
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (System.nanoTime() < deadline) {
                try (Socket socket = new Socket("127.0.0.1", redisPort)) {
                    return;
                } catch (IOException notYet) {
                    try {
                        Thread.sleep(50);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }
            throw new IllegalStateException("redis-server did not start on port " + redisPort);
        }

        @Override
        public void close() {
            if (redis != null) {
                redis.destroy();
                try {
                    redis.waitFor(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    private static String randomKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
