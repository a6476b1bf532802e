package io.github.awsdelegation.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * README's Quick start says what examples/quickstart-war is, and the invoker build proves that app works: these
 * tests keep the two saying the same thing, so that what a newcomer copies from README is what was tested.
 */
class ReadmeMatchesExamplesTest {

    static final Path ROOT = Path.of("..");  // Surefire runs in this module's directory
    static final Path QUICKSTART = ROOT.resolve("examples/quickstart-war");

    @Test
    @DisplayName("README's aws-delegation.yaml is the example WAR's, and the Spring Boot example's")
    void yaml() throws IOException {
        String readmeYaml = fencedBlocks("yaml").get(0);

        assertThat(read(QUICKSTART.resolve("src/main/webapp/WEB-INF/aws-delegation.yaml"))).isEqualTo(readmeYaml);
        assertThat(read(ROOT.resolve("examples/spring-boot/src/main/resources/aws-delegation.yaml"))).isEqualTo(readmeYaml);
    }

    @Test
    @DisplayName("README's web.xml snippet is in the example WAR's web.xml")
    void webXml() throws IOException {
        String readmeWebXml = fencedBlocks("xml").stream().filter(b -> b.contains("<filter-class>")).findFirst().orElseThrow();

        assertThat(normalised(read(QUICKSTART.resolve("src/main/webapp/WEB-INF/web.xml")))).contains(normalised(readmeWebXml));
    }

    @Test
    @DisplayName("README's dependency snippet (BOM import and the filter) is in the example's pom, at the project's version")
    void dependencies() throws IOException {
        String pom = normalised(read(QUICKSTART.resolve("pom.xml")));
        List<String> snippets = fencedBlocks("xml").stream().filter(b -> b.contains("aws-delegation-bom")).toList();

        assertThat(snippets).hasSize(1);
        String snippet = snippets.get(0);
        assertThat(snippet).contains("<version>" + System.getProperty("project.version", "0.1.0-SNAPSHOT") + "</version>");
        assertThat(pom).contains(normalised("""
                <dependency>
                  <groupId>io.github.awsdelegation</groupId>
                  <artifactId>aws-delegation-filter</artifactId>
                </dependency>"""));
        assertThat(normalised(snippet)).contains(normalised("""
                <artifactId>aws-delegation-bom</artifactId>
                <version>0.1.0-SNAPSHOT</version>
                <type>pom</type>
                <scope>import</scope>"""));
        assertThat(pom).contains(normalised("""
                <artifactId>aws-delegation-bom</artifactId>
                <version>${aws-delegation.version}</version>
                <type>pom</type>
                <scope>import</scope>"""));
    }

    @Test
    @DisplayName("README's servlet is the example's")
    void servlet() throws IOException {
        String readmeServlet = fencedBlocks("java").stream().filter(b -> b.contains("@WebServlet")).findFirst().orElseThrow();

        assertThat(normalised(read(QUICKSTART.resolve("src/main/java/com/example/quickstart/WhoAmIServlet.java"))))
                .contains(normalised(readmeServlet.substring(readmeServlet.indexOf("protected void doGet"))));
    }

    static List<String> fencedBlocks(String language) throws IOException {
        String readme = read(ROOT.resolve("README.md"));
        String quickStart = readme.substring(readme.indexOf("## Quick start"), readme.indexOf("## Spring Boot"));
        Matcher m = Pattern.compile("```" + language + "\n(.*?)```", Pattern.DOTALL).matcher(quickStart);
        List<String> blocks = new ArrayList<>();
        while (m.find()) {
            blocks.add(m.group(1));
        }
        assertThat(blocks).as("```%s blocks in README's Quick start", language).isNotEmpty();
        return blocks;
    }

    static String read(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.UTF_8);
    }

    /** Lines trimmed, blank lines and Java comments dropped: indentation and comments may differ, content may not. */
    static String normalised(String text) {
        return String.join("\n", text.lines().map(String::strip).map(l -> l.replaceAll("\\s*//.*$", ""))
                .filter(l -> !l.isEmpty()).toList());
    }
}
