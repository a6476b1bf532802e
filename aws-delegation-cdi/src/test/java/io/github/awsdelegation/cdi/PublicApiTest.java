package io.github.awsdelegation.cdi;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.awsdelegation.DelegationService;
import java.io.IOException;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The public API of the filter and CDI modules is what docs/api.md lists: every public type outside an
 * {@code internal} package is on the list, and everything on the list is such a type. A type made public by
 * accident fails here; so does a list that promises a type no longer there.
 */
class PublicApiTest {

    private static final Path API_DOC = Path.of("..", "docs", "api.md");
    private static final Pattern PACKAGE_HEADING = Pattern.compile("^### `?(io\\.github\\.awsdelegation[\\w.]*)`?\\s*$");
    private static final Pattern TYPE_ENTRY = Pattern.compile("^- `([A-Z][\\w.]*)`");

    @Test
    void everyPublicTypeOutsideInternalPackagesIsDocumentedAndNothingElseIs() throws Exception {
        TreeSet<String> published = new TreeSet<>();
        published.addAll(publicTypes(DelegationService.class));
        published.addAll(publicTypes(CurrentDelegation.class));

        assertThat(documented())
                .as("docs/api.md lists the public API; a public type outside an internal package belongs on it, or in an "
                        + "internal package")
                .containsExactlyElementsOf(published);
    }

    /** The types docs/api.md lists, as canonical names ({@code io.github.awsdelegation.config.DelegationConfig.Builder}). */
    private static TreeSet<String> documented() throws IOException {
        TreeSet<String> names = new TreeSet<>();
        String pkg = null;
        for (String line : Files.readAllLines(API_DOC, StandardCharsets.UTF_8)) {
            Matcher heading = PACKAGE_HEADING.matcher(line);
            if (heading.matches()) {
                pkg = heading.group(1);
                continue;
            }
            Matcher entry = TYPE_ENTRY.matcher(line);
            if (entry.find() && pkg != null) {
                names.add(pkg + "." + entry.group(1));
            }
        }
        return names;
    }

    /** The public types (top-level and nested, reachable by name) in the jar or classes folder holding a class. */
    private static List<String> publicTypes(Class<?> anchor) throws IOException, URISyntaxException, ClassNotFoundException {
        Path root = Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<String> classFiles = new ArrayList<>();
        if (Files.isDirectory(root)) {
            try (Stream<Path> files = Files.walk(root)) {
                files.filter(f -> f.toString().endsWith(".class"))
                        .forEach(f -> classFiles.add(root.relativize(f).toString().replace('\\', '/')));
            }
        } else {
            try (JarFile jar = new JarFile(root.toFile())) {
                jar.stream().map(e -> e.getName()).filter(n -> n.endsWith(".class")).forEach(classFiles::add);
            }
        }
        List<String> names = new ArrayList<>();
        for (String file : classFiles) {
            String binary = file.substring(0, file.length() - ".class".length()).replace('/', '.');
            if (!binary.startsWith("io.github.awsdelegation.") || binary.contains(".internal.")
                    || binary.endsWith("package-info") || binary.endsWith("module-info")) {
                continue;
            }
            Class<?> type = Class.forName(binary, false, anchor.getClassLoader());
            if (type.isAnonymousClass() || type.isLocalClass() || type.isSynthetic() || !reachable(type)) {
                continue;
            }
            names.add(type.getCanonicalName());
        }
        return names;
    }

    // Public, and so is every type it is nested in.
    private static boolean reachable(Class<?> type) {
        for (Class<?> t = type; t != null; t = t.getEnclosingClass()) {
            if (!Modifier.isPublic(t.getModifiers())) {
                return false;
            }
        }
        return true;
    }
}
