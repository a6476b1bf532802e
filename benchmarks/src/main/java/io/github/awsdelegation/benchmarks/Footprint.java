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
 * What an app's WAR carries: the runtime closure (compile and runtime scope, not provided, not optional) of an app
 * whose one dependency is the filter, the CDI module, or the filter with {@code aws-delegation-saml}. Those apps are
 * the POM modules under {@code benchmarks/footprint/}; {@code benchmarks/run.sh} has Maven write each one's
 * {@code dependency:list} (with absolute file names) to its {@code target/runtime-dependencies.txt}, and this reads
 * it, so the numbers follow the poms rather than a list kept here. (A module's own list is not the same: Maven keeps
 * a library that only an optional dependency brings when a test dependency brings it too.)
 *
 * <p>{@code main} prints the jars, largest first, for the three apps.
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

    /** The apps of one dependency under {@code benchmarks/footprint/}. */
    static final List<String> APPS = List.of("filter", "cdi", "saml");

    /** Reads the closure of the app {@code benchmarks/footprint/<app>} (see {@link #APPS}). */
    static Closure app(Path root, String app) {
        return closure(root, "benchmarks/footprint/" + app);
    }

    /**
     * Reads a module's closure from {@code <module>/target/runtime-dependencies.txt}, with its jar in {@code target/}
     * when it has one.
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
            String name = Path.of(module).getFileName().toString();
            Path own = jarFiles.filter(p -> p.getFileName().toString().matches(name + "-[^-]+(-SNAPSHOT)?\\.jar"))
                    .findFirst().orElse(null);
            if (own != null) {
                jars.put(name, new Jar("io.github.awsdelegation:" + name, Files.size(own)));
            } else if (Files.isDirectory(target.resolve("classes"))) {
                throw new IllegalStateException("no jar of " + module + " in " + target);
            } // else a POM-only module: its dependencies are all it brings
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

    /** Prints the closures of the three apps, jar by jar. Argument: the repository's root. */
    public static void main(String[] args) {
        Path root = Path.of(args.length > 0 ? args[0] : ".");
        for (String name : APPS) {
            Closure closure = app(root, name);
            System.out.printf(Locale.ROOT, "app with %s: %s MB in %d jars%n", name, mb(closure.bytes()), closure.jars().size());
            closure.largestFirst().forEach(j -> System.out.printf(Locale.ROOT, "  %8.0f KB  %s%n", j.bytes() / 1024.0,
                    j.coordinates()));
        }
    }
}
