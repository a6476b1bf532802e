package io.github.awsdelegation.cluster;

import io.github.awsdelegation.testkit.Demo;
import io.github.awsdelegation.testkit.LocalAws;
import io.github.awsdelegation.testkit.SigningKeyStores;
import io.github.awsdelegation.testkit.StsCall;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The cluster under test: one local IdP and STS in the test JVM (which count the STS calls), and N {@link NodeProcess}
 * JVMs running the sample WAR against them, clustered through the store the {@link Store} sets up. Everything binds
 * to 127.0.0.1; {@link #close()} stops every node, then the local AWS.
 */
final class Cluster implements AutoCloseable {

    /** The STS action the sample's buyer and admin roles are assumed with. */
    static final String WEB_IDENTITY = "AssumeRoleWithWebIdentity";

    /** The store the nodes share, and the variables that select it on each node. */
    interface Store extends AutoCloseable {

        /** The name in logs and directory names: {@code local}, {@code hazelcast}, {@code redis}. */
        String name();

        /** The WAR variables (system properties) of node {@code index} (0-based) of {@code count}. */
        Map<String, String> nodeVariables(int index, int count);

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
        File war = new File(System.getProperty("cluster.war", "../sample-war/target/sample-war"));
        if (!new File(war, "WEB-INF/web.xml").isFile()) {
            throw new IllegalStateException(war + " is not the exploded sample WAR: build sample-war (mvn package) first");
        }
        Path work = Path.of(System.getProperty("cluster.work", "target/cluster-its")).resolve(store.name());
        StsClock stsClock = new StsClock();
        LocalAws aws = LocalAws.builder().sts(sts -> sts.clock(stsClock)).start();
        List<NodeProcess> nodes = new ArrayList<>();
        try {
            Files.createDirectories(work);
            Map<String, String> variables = sampleVariables(aws, work);
            for (int i = 0; i < count; i++) {
                Map<String, String> nodeVariables = new LinkedHashMap<>(variables);
                nodeVariables.putAll(store.nodeVariables(i, count));
                nodes.add(NodeProcess.start("node-" + (i + 1), war, nodeVariables, work));
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

    // The variables the sample's launcher sets (SampleEnvironment), pointing every node at the same local AWS.
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

    NodeProcess node(int oneBased) {
        return nodes.get(oneBased - 1);
    }

    List<URI> urls() {
        return nodes.stream().filter(NodeProcess::isAlive).map(NodeProcess::url).toList();
    }

    /** The successful web-identity STS calls so far, counted per subject. */
    Map<String, Long> stsCallsBySubject() {
        return successfulCalls().stream().collect(Collectors.groupingBy(StsCall::subject, Collectors.counting()));
    }

    /** The successful web-identity STS calls so far. */
    List<StsCall> successfulCalls() {
        return aws.sts().calls().stream().filter(call -> WEB_IDENTITY.equals(call.action()) && call.succeeded()).toList();
    }

    /** The STS calls that failed so far, by error code. */
    Map<String, Long> failedCalls() {
        return aws.sts().calls().stream().filter(call -> !call.succeeded())
                .collect(Collectors.groupingBy(call -> String.valueOf(call.outcome()), Collectors.counting()));
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
