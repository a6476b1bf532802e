package io.github.awsdelegation.benchmarks;

import io.github.awsdelegation.servlet.AwsDelegationFilter;
import io.github.awsdelegation.testkit.SigningKeyStores;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletContext;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * The filter's start-up as users see it: a fresh JVM per start (class loading included), {@link AwsDelegationFilter#init}
 * with the configuration document read from a file, to ready — the YAML parsed, the pipeline built, the issuer's
 * discovery document and JWKS fetched from the testkit's local identity provider, and, when the document has a
 * {@code saml:} section, OpenSAML bootstrapped and the signing key loaded.
 *
 * <p>The parent starts the local IdP and STS once and a child JVM per start; the child times {@code init} itself and
 * prints it, the parent times the child from process start to that line (JVM start-up included).
 */
final class Startup {

    /** When set, the first start of each series records a JFR profile to this path (plus -oidc.jfr or -saml.jfr). */
    static final String PROFILE_PROPERTY = "startup.profile";
    private static final String PASSWORD_VARIABLE = "STARTUP_SAML_KEYSTORE_PASSWORD";
    private static final String PASSWORD = "startup-benchmark-only";

    /**
     * Medians of a series of fresh starts, in milliseconds: {@code init} alone (wall clock, and the CPU time of the
     * thread that ran it, which other load on the machine disturbs less), and process start to ready.
     */
    record Result(int starts, double initMillis, double initCpuMillis, double processMillis) {
    }

    private Startup() {
    }

    /** Starts the filter {@code starts} times, each in a fresh JVM; with a {@code saml:} section when {@code saml}. */
    static Result run(int starts, boolean saml) throws Exception {
        Path work = Files.createTempDirectory("startup");
        try (BenchEnvironment env = new BenchEnvironment(Clock.systemUTC())) {
            String document = env.document();
            if (saml) {
                Path keyStore = SigningKeyStores.writePkcs12(work.resolve("saml.p12"), "saml-signing", PASSWORD, "Startup IdP");
                document += """
                        saml:
                          entityId: https://shop.example.com/saml
                          keyStore:
                            path: %s
                            password: ${%s}
                        """.formatted(keyStore, PASSWORD_VARIABLE);
            }
            Path config = Files.writeString(work.resolve("aws-delegation.yaml"), document, StandardCharsets.UTF_8);
            List<Double> init = new ArrayList<>();
            List<Double> cpu = new ArrayList<>();
            List<Double> process = new ArrayList<>();
            for (int i = 0; i < starts; i++) {
                List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp", System.getProperty("java.class.path"), "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"));
                if (i == 0 && System.getProperty(PROFILE_PROPERTY) != null) {
                    command.add("-XX:StartFlightRecording=settings=profile,filename=" + System.getProperty(PROFILE_PROPERTY)
                            + (saml ? "-saml" : "-oidc") + ".jfr");
                }
                command.addAll(List.of(Startup.class.getName(), config.toString()));
                ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
                builder.environment().put(PASSWORD_VARIABLE, PASSWORD);
                long started = System.nanoTime();
                Process child = builder.start();
                String ready = readyLine(child);
                process.add((System.nanoTime() - started) / 1e6);
                String[] fields = ready.split(" ");
                init.add(Double.parseDouble(fields[1]));
                cpu.add(Double.parseDouble(fields[2]));
                if (child.waitFor() != 0) {
                    throw new IllegalStateException("the start-up child exited with " + child.exitValue());
                }
            }
            return new Result(starts, median(init), median(cpu), median(process));
        } finally {
            try (var files = Files.list(work)) {
                for (Path file : files.toList()) {
                    Files.delete(file);
                }
            }
            Files.delete(work);
        }
    }

    private static String readyLine(Process child) throws IOException {
        List<String> output = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                if (line.startsWith("ready ")) {
                    return line;
                }
                output.add(line);
            }
        }
        throw new IllegalStateException("the start-up child did not get ready:\n" + String.join("\n", output));
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }

    /** The child: {@code init} of a filter on the configuration file given, timed, then destroyed. */
    public static void main(String[] args) throws Exception {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long cpuStarted = threads.getCurrentThreadCpuTime();
        long started = System.nanoTime();
        AwsDelegationFilter filter = new AwsDelegationFilter();
        filter.init(filterConfig("file:" + args[0]));
        double millis = (System.nanoTime() - started) / 1e6;
        double cpuMillis = (threads.getCurrentThreadCpuTime() - cpuStarted) / 1e6;
        System.out.println("ready " + millis + " " + cpuMillis);
        filter.destroy();
    }

    // The container's part of init: the filter's init-param and a servlet context with no attributes.
    private static FilterConfig filterConfig(String location) {
        ServletContext context = (ServletContext) Proxy.newProxyInstance(Startup.class.getClassLoader(),
                new Class<?>[] {ServletContext.class}, (proxy, method, arguments) -> switch (method.getName()) {
                    case "getFilterRegistrations" -> Map.of();
                    case "getContextPath" -> "";
                    case "toString" -> "startup benchmark context";
                    default -> null;
                });
        return (FilterConfig) Proxy.newProxyInstance(Startup.class.getClassLoader(), new Class<?>[] {FilterConfig.class},
                (proxy, method, arguments) -> switch (method.getName()) {
                    case "getInitParameter" -> "config".equals(arguments[0]) ? location : null;
                    case "getServletContext" -> context;
                    case "getFilterName" -> "aws-delegation";
                    case "toString" -> "startup benchmark filter config";
                    default -> null;
                });
    }
}
