package io.github.awsdelegation.cdi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

/**
 * The SDK's {@code s3} artifact is an optional dependency of the module (docs/dependencies.md): an app that does not
 * inject {@code S3Client} leaves it out of its WAR. For that app to deploy, the container must be able to read every
 * bean class of the module without S3 on the class path, except the producer of {@code S3Client}, which
 * {@code beans.xml} leaves out of discovery then (CDI's exclude filter with {@code if-class-not-available}). The S3
 * client itself is proven in the container tests (ClientsIT), where S3 is present.
 */
class S3OptionalTest {

    static final String PRODUCER = "io.github.awsdelegation.cdi.internal.S3ClientProducer";

    @Test
    @DisplayName("without S3 on the class path, every class of the module but the S3Client producer can be read as a container reads a bean class")
    void withoutS3_everyOtherClassLoads() throws Exception {
        Path classes = Path.of("target/classes");
        List<String> names;
        try (Stream<Path> files = Files.walk(classes)) {
            names = files.filter(f -> f.toString().endsWith(".class")).map(f -> classes.relativize(f).toString())
                    .map(n -> n.substring(0, n.length() - ".class".length()).replace(File.separatorChar, '.')).toList();
        }
        assertThat(names).contains(PRODUCER, "io.github.awsdelegation.cdi.internal.DelegationProducers");

        try (URLClassLoader app = withoutS3()) {
            assertThatThrownBy(() -> Class.forName("software.amazon.awssdk.services.s3.S3Client", false, app))
                    .as("the class loader hides S3").isInstanceOf(ClassNotFoundException.class);
            for (String name : names) {
                Class<?> type = Class.forName(name, false, app);
                if (name.equals(PRODUCER)) {
                    assertThatThrownBy(type::getDeclaredMethods).as("the producer needs S3").isInstanceOf(NoClassDefFoundError.class);
                } else {
                    type.getDeclaredMethods();
                    type.getDeclaredFields();
                    type.getDeclaredConstructors();
                }
            }
        }
    }

    @Test
    @DisplayName("beans.xml leaves the S3Client producer out of discovery when S3Client is not available")
    void beansXml_excludesTheProducerWithoutS3() throws Exception {
        Element exclude;
        try (InputStream in = Files.newInputStream(Path.of("target/classes/META-INF/beans.xml"))) {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            exclude = (Element) factory.newDocumentBuilder().parse(in).getElementsByTagNameNS("*", "exclude").item(0);
        }

        assertThat(exclude.getAttribute("name")).isEqualTo(PRODUCER);
        Element condition = (Element) exclude.getElementsByTagNameNS("*", "if-class-not-available").item(0);
        assertThat(condition.getAttribute("name")).isEqualTo("software.amazon.awssdk.services.s3.S3Client");
    }

    // The module's classes and its libraries, without the SDK's S3 client, as an app's WAR without S3 is.
    static URLClassLoader withoutS3() throws Exception {
        List<URL> urls = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (!Path.of(entry).getFileName().toString().matches("s3-\\d.*\\.jar")) {
                urls.add(Path.of(entry).toUri().toURL());
            }
        }
        return new URLClassLoader("app-without-s3", urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader());
    }
}
