package io.github.awsdelegation.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.zip.ZipFile;

/**
 * What an app's WAR carries for a module: the module's jar and its runtime closure (compile and runtime scope, not
 * provided, not optional), as Maven resolves it. {@code benchmarks/run.sh} has Maven write each module's
 * {@code dependency:list} (with absolute file names) to {@code target/runtime-dependencies.txt}; this reads it, so the
 * numbers follow the poms rather than a list kept here.
 *
 * <p>{@code main} prints the jars, largest first, for the filter and for the filter with the CDI module.
 */
final class Footprint {

    /** The file {@code run.sh} has {@code dependency:list} write in each module's {@code target/}. */
    static final String LIST_FILE = "runtime-dependencies.txt";

    /** One jar: its Maven coordinates (group:artifact:version) and size in bytes. */
    record Jar(String coordinates, long bytes) {
    }

    /** A module's closure: its own jar and the jars it brings. */
    record Closure(String module, List<Jar> jars) {

        long bytes() {
            return jars.stream().mapToLong(Jar::bytes).sum();
        }

        /** This closure and another, each jar once: what an app that adds both carries. */
        Closure plus(Closure other) {
            Map<String, Jar> union = new LinkedHashMap<>();
            jars.forEach(j -> union.put(j.coordinates(), j));
            other.jars().forEach(j -> union.putIfAbsent(j.coordinates(), j));
            return new Closure(module + " + " + other.module(), List.copyOf(union.values()));
        }

        List<Jar> largestFirst() {
            return jars.stream().sorted(Comparator.comparingLong(Jar::bytes).reversed()).toList();
        }

        /** "guava 2.9, xmlsec 1.2, ..." — the n largest jars in MB. */
        String largest(int n) {
            return largestFirst().stream().limit(n).map(j -> artifact(j.coordinates()) + " " + mb(j.bytes()))
                    .collect(Collectors.joining(", "));
        }
    }

    private Footprint() {
    }

    /**
     * Reads a module's closure from {@code <module>/target/runtime-dependencies.txt} and its jar in {@code target/}.
     *
     * @throws IllegalStateException when the list or the jar is missing (run {@code benchmarks/run.sh}, which makes them)
     */
    static Closure closure(Path root, String module) {
        Path target = root.resolve(module).resolve("target");
        Path list = target.resolve(LIST_FILE);
        if (!Files.isRegularFile(list)) {
            throw new IllegalStateException(list + " is missing: benchmarks/run.sh has Maven write it (dependency:list)");
        }
        Map<String, Jar> jars = new LinkedHashMap<>();
        try (var jarFiles = Files.list(target)) {
            Path own = jarFiles.filter(p -> p.getFileName().toString().matches(module + "-[^-]+(-SNAPSHOT)?\\.jar"))
                    .findFirst().orElse(null);
            if (own != null) {
                jars.put(module, new Jar("io.github.awsdelegation:" + module, Files.size(own)));
            } else if (Files.isDirectory(target.resolve("classes"))) {
                throw new IllegalStateException("no jar of " + module + " in " + target);
            } // else a POM-only module (aws-delegation-saml): its dependencies are all it brings
            for (String line : Files.readAllLines(list, StandardCharsets.UTF_8)) {
                Jar jar = parse(line);
                if (jar != null) {
                    jars.putIfAbsent(jar.coordinates(), jar);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Closure(module, List.copyOf(jars.values()));
    }

    // "   g:a:jar[:classifier]:v:scope:/abs/path.jar -- module x" ; optional dependencies are marked "(optional)".
    private static Jar parse(String line) {
        String entry = line.strip();
        if (entry.contains("(optional)") || !entry.contains(":jar:")) {
            return null;
        }
        String[] parts = entry.split(" ")[0].split(":", -1);
        int scope = parts.length >= 7 ? 5 : 4; // with a classifier the scope moves one place right
        if (!parts[scope].equals("compile") && !parts[scope].equals("runtime")) {
            return null;
        }
        String file = String.join(":", List.of(parts).subList(scope + 1, parts.length));
        try {
            return new Jar(parts[0] + ":" + parts[1] + ":" + parts[scope - 1], Files.size(Path.of(file)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the size of " + file, e);
        }
    }

    /** The size of a WAR and of its {@code WEB-INF/lib}, in bytes. */
    record War(long bytes, long libraryBytes, int libraries) {

        static War of(Path war) {
            try (ZipFile zip = new ZipFile(war.toFile())) {
                List<Long> sizes = new ArrayList<>();
                zip.stream().filter(e -> e.getName().startsWith("WEB-INF/lib/") && e.getName().endsWith(".jar"))
                        .forEach(e -> sizes.add(e.getSize()));
                return new War(Files.size(war), sizes.stream().mapToLong(Long::longValue).sum(), sizes.size());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + war + " (benchmarks/run.sh builds it)", e);
            }
        }
    }

    static String mb(long bytes) {
        return String.format(Locale.ROOT, "%.1f", bytes / 1_048_576.0);
    }

    static String artifact(String coordinates) {
        return coordinates.split(":")[1];
    }

    /** Prints the closures of the filter, the CDI module and the filter with SAML, jar by jar. Argument: the repository's root. */
    public static void main(String[] args) {
        Path root = Path.of(args.length > 0 ? args[0] : ".");
        Closure filter = closure(root, "aws-delegation-filter");
        for (Closure closure : List.of(filter, closure(root, "aws-delegation-cdi"),
                filter.plus(closure(root, "aws-delegation-saml")))) {
            String module = closure.module();
            System.out.printf(Locale.ROOT, "%s: %s MB in %d jars%n", module, mb(closure.bytes()), closure.jars().size());
            closure.largestFirst().forEach(j -> System.out.printf(Locale.ROOT, "  %8.0f KB  %s%n", j.bytes() / 1024.0,
                    j.coordinates()));
        }
    }
}
