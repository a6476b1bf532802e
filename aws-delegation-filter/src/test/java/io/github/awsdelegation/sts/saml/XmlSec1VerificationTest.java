package io.github.awsdelegation.sts.saml;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.awsdelegation.role.RoleGrant;
import io.github.awsdelegation.sts.saml.internal.SamlMetadata;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An independent verifier — libxmlsec1's command line tool, as Debian packages it (.ci/run installs it) — checks
 * a response this module signed against the certificate taken from this module's metadata, the way IAM checks it
 * against the uploaded metadata. It must accept the untouched response and refuse a changed one.
 */
class XmlSec1VerificationTest {

    static final String XMLSEC1 = "xmlsec1";

    @TempDir
    Path dir;

    @BeforeAll
    static void xmlsec1IsInstalled() {
        try {
            Process p = new ProcessBuilder(XMLSEC1, "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            if (p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0) {
                return;
            }
        } catch (IOException e) {
            // reported below
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        throw new AssertionError("xmlsec1 is not installed, and this test verifies SAML signatures with it: install it "
                + "(Debian/Ubuntu: apt-get install xmlsec1; .ci/run does so) and run the tests again");
    }

    @Test
    @DisplayName("xmlsec1 --verify accepts the signed assertion with the certificate from our IdP metadata")
    void xmlsec1_verifiesTheAssertion() throws Exception {
        SamlSettings settings = SamlAssertionFactoryTest.settings().build();
        SamlResponse response = new SamlAssertionFactory(settings, Clock.systemUTC()).create(SamlAssertionFactoryTest.admin(),
                List.of(SamlAssertionFactoryTest.ADMIN), "auth0-5f7c8ec7", Duration.ofHours(1));
        Path cert = certificateFromMetadata(settings);

        Result verified = xmlsec1(cert, write("response.xml", response.xml()));

        assertThat(verified.exitCode()).as(verified.output()).isZero();
        assertThat(verified.output()).contains("OK");
    }

    @Test
    @DisplayName("xmlsec1 --verify refuses the assertion once a role was changed in it, and refuses another key's certificate")
    void xmlsec1_refusesTamperingAndAnotherKey() throws Exception {
        SamlSettings settings = SamlAssertionFactoryTest.settings().build();
        SamlResponse response = new SamlAssertionFactory(settings, Clock.systemUTC()).create(SamlAssertionFactoryTest.admin(),
                List.of(SamlAssertionFactoryTest.BUYER), "auth0-5f7c8ec7", Duration.ofHours(1));
        String tampered = response.xml().replace("role/pet-shop-buyer,", "role/pet-shop-admin,");
        assertThat(tampered).isNotEqualTo(response.xml());

        Result changed = xmlsec1(certificateFromMetadata(settings), write("tampered.xml", tampered));
        Path otherCert = write("other.pem", SamlTestKeys.pem(SamlTestKeys.certificate(SamlTestKeys.otherRsa2048(), "forger")));
        Result otherKey = xmlsec1(otherCert, write("response.xml", response.xml()));

        assertThat(changed.exitCode()).as(changed.output()).isNotZero();
        assertThat(otherKey.exitCode()).as(otherKey.output()).isNotZero();
    }

    // The certificate IAM would use: the first signing certificate of the metadata we publish, as PEM.
    private Path certificateFromMetadata(SamlSettings settings) {
        SamlXml metadata = SamlXml.parse(new SamlMetadata(settings).xml(URI.create("https://shop.example.com/saml/console")));
        String base64 = metadata.texts("//md:KeyDescriptor[@use='signing']/ds:KeyInfo/ds:X509Data/ds:X509Certificate").get(0);
        return write("idp.pem", "-----BEGIN CERTIFICATE-----\n" + base64 + "\n-----END CERTIFICATE-----\n");
    }

    private Path write(String name, String content) {
        try {
            return Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    record Result(int exitCode, String output) {
    }

    // The key comes only from --pubkey-cert-pem (our metadata's certificate), as IAM takes it only from the uploaded
    // metadata: "--enabled-key-data key-name" stops xmlsec1 from taking the certificate the signature carries in its
    // KeyInfo. (Never add --insecure here: with it, xmlsec1 accepts that embedded certificate, so any key "verifies".)
    // The assertion's ID attribute is declared so that the reference #ID resolves to the assertion alone.
    static Result xmlsec1(Path certificate, Path document) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(XMLSEC1, "--verify", "--enabled-key-data", "key-name",
                "--pubkey-cert-pem", certificate.toString(),
                "--id-attr:ID", "urn:oasis:names:tc:SAML:2.0:assertion:Assertion",
                document.toString()));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("xmlsec1 did not finish within 60 seconds");
        }
        return new Result(p.exitValue(), String.join(" ", command) + "\n" + output);
    }
}
