package io.github.awsdelegation.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * aws-delegation-bom has no parent (an app importing it must not import the parent's management), so it repeats
 * versions the parent holds: these tests fail when the two drift apart.
 */
class BomTest {

    static final Path ROOT = Path.of("..");  // Surefire runs in this module's directory

    @Test
    @DisplayName("the BOM's own version, and the version it gives the library modules, is the project's")
    void modules_atTheProjectVersion() throws Exception {
        Document bom = parse(ROOT.resolve("aws-delegation-bom/pom.xml"));
        String projectVersion = System.getProperty("project.version");

        assertThat(child(bom.getDocumentElement(), "version")).isEqualTo(projectVersion);
        Map<String, String> managed = managed(bom);
        assertThat(managed).containsEntry("io.github.awsdelegation:aws-delegation-filter", "${project.version}")
                .containsEntry("io.github.awsdelegation:aws-delegation-cdi", "${project.version}")
                .containsEntry("io.github.awsdelegation:aws-delegation-saml", "${project.version}")
                .containsEntry("io.github.awsdelegation:aws-delegation-testkit", "${project.version}")
                .containsEntry("io.github.awsdelegation:aws-delegation-cli", "${project.version}")
                .containsEntry("io.github.awsdelegation:aws-delegation-hazelcast", "${project.version}")
                .containsEntry("io.github.awsdelegation:aws-delegation-redis", "${project.version}");
    }

    @Test
    @DisplayName("the third-party versions the BOM manages are the parent's")
    void thirdParty_asTheParentPinsThem() throws Exception {
        Map<String, String> managed = managed(parse(ROOT.resolve("aws-delegation-bom/pom.xml")));
        Element properties = (Element) parse(ROOT.resolve("pom.xml")).getElementsByTagName("properties").item(0);

        assertThat(managed).containsEntry("com.google.guava:guava", child(properties, "guava.version"))
                .containsEntry("commons-codec:commons-codec", child(properties, "commons-codec.version"));
        assertThat(managed).as("not in the filter's closure (docs/dependencies.md): the app's to choose")
                .doesNotContainKeys("org.apache.httpcomponents:httpclient", "org.apache.httpcomponents:httpcore");
    }

    static Map<String, String> managed(Document pom) {
        Map<String, String> versions = new LinkedHashMap<>();
        NodeList dependencies = pom.getElementsByTagName("dependency");
        for (int i = 0; i < dependencies.getLength(); i++) {
            Element d = (Element) dependencies.item(i);
            versions.put(child(d, "groupId") + ":" + child(d, "artifactId"), child(d, "version"));
        }
        return versions;
    }

    static String child(Element parent, String name) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(name)) {
                return e.getTextContent().strip();
            }
        }
        return null;
    }

    static Document parse(Path pom) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(pom.toFile());
    }
}
