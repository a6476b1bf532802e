package io.github.awsdelegation.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Micrometer and the OpenTelemetry API are optional dependencies: the module runs in a JVM whose class path has
 * neither ({@link WithoutOptionalLibraries}, with the test class path minus their jars).
 */
class WithoutOptionalLibrariesTest {

    private static final List<String> OPTIONAL = List.of("/io/micrometer/", "/io/opentelemetry/", "/org/hdrhistogram/",
            "/org/latencyutils/");

    @Test
    @DisplayName("without Micrometer and OpenTelemetry on the class path, the service and the filter serve a request")
    void runsWithoutThem() throws Exception {
        // Surefire hands the test class path over in this property (java.class.path may be its booter jar only).
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        String filtered = Arrays.stream(classPath.split(File.pathSeparator))
                .filter(entry -> OPTIONAL.stream().noneMatch(optional -> entry.replace('\\', '/').contains(optional)))
                .collect(Collectors.joining(File.pathSeparator));
        assertThat(filtered).contains("aws-delegation-filter");
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", filtered, WithoutOptionalLibraries.class.getName())
                .redirectErrorStream(true)
                .start();
        String output;
        try (var in = process.getInputStream()) {
            output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(process.waitFor(2, TimeUnit.MINUTES)).isTrue();

        assertThat(process.exitValue()).as(output).isZero();
        assertThat(output).contains("WITHOUT-OPTIONAL-LIBRARIES: OK").doesNotContain("NoClassDefFoundError");
    }
}
