package io.github.awsdelegation.cluster;

import io.github.awsdelegation.testkit.Demo;
import io.github.awsdelegation.testkit.LocalAws;
import io.github.awsdelegation.testkit.SigningKeyStores;
import io.github.awsdelegation.testkit.StsCall;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The cluster under test: one local IdP and STS in the test JVM (which count the STS calls), and N {@link NodeProcess}
 * JVMs running the sample WAR against them, clustered through the store a {@link Store} sets up. Each node's filter
 * reads the WAR's own configuration document with a {@code cache:} section added for the store, as an operator adds
 * one (docs/cluster.md). Everything binds to 127.0.0.1; {@link #close()} stops every node, the store, then the local
 * AWS.
 */
final class Cluster implements AutoCloseable {

    /** The STS action the sample's buyer and admin roles are assumed with. */
    static final String WEB_IDENTITY = "AssumeRoleWithWebIdentity";

    /**
     * How long before expiry the nodes refresh credentials at the earliest, in the suite: 70 s (the filter's minimum is
     * just over 1 minute); each set is refreshed between that and 65 s before expiry (the latest point keeps half the gap
     * to the minimum validity of 60 s). With the STS clock set back, credentials live {@link #refreshAhead} plus a few
     * seconds.
     */
    static final java.time.Duration REFRESH_AHEAD = java.time.Duration.ofSeconds(70);

    /** How many browser users the IdP has for the sessions test, {@code browser-0} ... (and {@code roaming}, {@code leaving}, {@code cut-off}). */
    static final int BROWSER_USERS = 30;

    /** The store the nodes share. */
    interface Store extends AutoCloseable {

        /** The name in logs and directory names, and {@code cache.store}: {@code hazelcast}, {@code redis}. */
        String name();

        /**
         * The settings of the store's own section ({@code cache.hazelcast}, {@code cache.redis}) for node {@code index}
         * (0-based) of {@code count}, as YAML lines indented for that section; empty for none.
         */
        List<String> settings(int index, int count);

        @Override
        default void close() {
        }
    }

    private final LocalAws aws;
    private final StsClock stsClock;
    private final List<NodeProcess> nodes;
    private final Store store;

    private Cluster(LocalAws aws, StsClock stsClock, List<NodeProcess> nodes, Store store) {
        this.aws = aws;
        this.stsClock = stsClock;
        this.nodes = nodes;
        this.store = store;
    }

    /** Starts the local AWS and {@code count} nodes in parallel, and waits until each serves the WAR. */
    static Cluster start(Store store, int count) {
        // A store whose module the sample does not carry has a WAR of its own (cluster.war.<store>, built by the pom).
        File war = new File(System.getProperty("cluster.war." + store.name(),
                System.getProperty("cluster.war", "../sample-war/target/sample-war")));
        if (!new File(war, "WEB-INF/web.xml").isFile()) {
            throw new IllegalStateException(war + " is not the exploded sample WAR: build sample-war (mvn package) first");
        }
        Path work = Path.of(System.getProperty("cluster.work", "target/cluster-its")).resolve(store.name());
        StsClock stsClock = new StsClock();
        LocalAws aws = LocalAws.builder().sts(sts -> sts.clock(stsClock)).identityProvider(idp -> {
            for (int i = 0; i < BROWSER_USERS; i++) {
                idp.socialUser("browser-" + i, "browser-" + i + "@example.com");
            }
            idp.socialUser("roaming", "roaming@example.com");
            idp.socialUser("leaving", "leaving@example.com");
            idp.socialUser("cut-off", "cut-off@example.com");
        }).start();
        List<NodeProcess> nodes = new ArrayList<>();
        try {
            Files.createDirectories(work);
            Map<String, String> variables = sampleVariables(aws, work);
            String sample = Files.readString(war.toPath().resolve("WEB-INF/aws-delegation.yaml"), StandardCharsets.UTF_8);
            String cacheKey = randomKey();
            for (int i = 0; i < count; i++) {
                String name = "node-" + (i + 1);
                Path document = work.resolve(name + ".yaml");
                Files.writeString(document, sample + cacheSection(store, i, count), StandardCharsets.UTF_8);
                Map<String, String> nodeVariables = new LinkedHashMap<>(variables);
                nodeVariables.put("CLUSTER_CACHE_KEY", cacheKey);
                nodes.add(NodeProcess.start(name, NodeProcess.freePort(), war, document, nodeVariables, work));
            }
            nodes.forEach(NodeProcess::awaitReady);
            return new Cluster(aws, stsClock, nodes, store);
        } catch (IOException e) {
            nodes.forEach(NodeProcess::close);
            aws.close();
            throw new UncheckedIOException(e);
        } catch (RuntimeException | Error e) {
            nodes.forEach(NodeProcess::close);
            aws.close();
            throw e;
        }
    }

    // What an operator adds to the document: the store, its key (from a variable) and the store's own settings.
    private static String cacheSection(Store store, int index, int count) {
        StringBuilder yaml = new StringBuilder("\n# Added by the cluster suite (docs/cluster.md).\ncache:\n");
        yaml.append("  refreshAhead: ").append(REFRESH_AHEAD.toSeconds()).append("s\n");
        if (store.name().equals("local")) {
            return yaml.toString(); // each node on its own: the baseline without a shared store
        }
        yaml.append("  store: ").append(store.name()).append('\n');
        yaml.append("  encryption:\n    keys:\n      suite-1: ${CLUSTER_CACHE_KEY}\n");
        List<String> settings = store.settings(index, count);
        if (!settings.isEmpty()) {
            yaml.append("  ").append(store.name()).append(":\n");
            settings.forEach(line -> yaml.append("    ").append(line).append('\n'));
        }
        return yaml.toString();
    }

    static String randomKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    // The variables the sample's launcher sets (SampleEnvironment), pointing every node at the same local AWS, and the
    // login's key, which every node shares.
    private static Map<String, String> sampleVariables(LocalAws aws, Path work) {
        String password = "cluster-suite-demo-only";
        Path keyStore = SigningKeyStores.writePkcs12(work.resolve("saml-signing.p12"), "saml-signing", password, "cluster suite SAML IdP");
        Map<String, String> variables = new LinkedHashMap<>();
        variables.put("AWS_DELEGATION_ISSUER", aws.identityProvider().issuer().toString());
        variables.put("AWS_DELEGATION_CLIENT_ID", Demo.CLIENT_ID);
        variables.put("AWS_REGION", "us-east-1");
        variables.put("AWS_DELEGATION_STS_ENDPOINT", aws.sts().endpoint().toString());
        variables.put("AWS_S3_ENDPOINT", aws.s3().endpoint().toString());
        variables.put("AWS_S3_PATH_STYLE", "true");
        variables.put("PET_SHOP_API_URL", aws.petsApi().endpoint().toString());
        variables.put("PET_SHOP_BUCKET", Demo.PETS_BUCKET);
        variables.put("PET_SHOP_SAML_KEYSTORE", keyStore.toString());
        variables.put("PET_SHOP_SAML_KEYSTORE_PASSWORD", password);
        variables.put("AWS_DELEGATION_LOGIN_ENCRYPTION_KEY", randomKey());
        return variables;
    }

    LocalAws aws() {
        return aws;
    }

    StsClock stsClock() {
        return stsClock;
    }

    List<NodeProcess> nodes() {
        return nodes;
    }

    /** Node {@code n}, counted from 1. */
    NodeProcess node(int n) {
        return nodes.get(n - 1);
    }

    /** The base URLs of the nodes still running. */
    List<URI> urls() {
        return nodes.stream().filter(NodeProcess::isAlive).map(NodeProcess::url).toList();
    }

    /** The successful web-identity STS calls so far. */
    List<StsCall> successfulCalls() {
        return aws.sts().calls().stream().filter(call -> WEB_IDENTITY.equals(call.action()) && call.succeeded()).toList();
    }

    /** The successful web-identity STS calls so far for subjects starting with {@code prefix}, counted per subject. */
    Map<String, Long> callsBySubject(String prefix) {
        return successfulCalls().stream().filter(call -> call.subject() != null && call.subject().startsWith(prefix))
                .collect(Collectors.groupingBy(StsCall::subject, Collectors.counting()));
    }

    /** The successful web-identity STS calls so far of one subject, in order. */
    List<StsCall> callsOf(String subject) {
        return successfulCalls().stream().filter(call -> subject.equals(call.subject())).toList();
    }

    /** Every node's log tail, for a failure message. */
    String logs() {
        return nodes.stream().map(NodeProcess::logTail).collect(Collectors.joining("\n"));
    }

    @Override
    public void close() {
        try {
            nodes.forEach(NodeProcess::close);
        } finally {
            try {
                store.close();
            } finally {
                aws.close();
            }
        }
    }
}
