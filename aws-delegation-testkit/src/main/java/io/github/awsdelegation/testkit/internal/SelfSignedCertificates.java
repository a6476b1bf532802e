package io.github.awsdelegation.testkit.internal;

import java.io.ByteArrayInputStream;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Makes the self-signed X.509 certificate that goes into a JWK's {@code x5c}, as Auth0 publishes one
 * per signing key (Ceph RGW refuses JWKS keys without {@code x5c}).
 */
public final class SelfSignedCertificates {

    /** How long a certificate is valid: ten years, like Auth0's tenant certificates. */
    public static final Duration VALIDITY = Duration.ofDays(3650);


    private SelfSignedCertificates() {
    }

    /**
     * Returns a self-signed, SHA256withRSA certificate for {@code keyPair} with subject {@code CN=<commonName>},
     * valid from a day before {@code now} for {@link #VALIDITY}.
     *
     * @throws IllegalStateException when the JDK cannot sign or parse the certificate
     */
    public static X509Certificate create(KeyPair keyPair, String commonName, Instant now) {
        X500Name subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, commonName).build();
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                subject,
                RandomIds.serialNumber(),
                Date.from(now.minus(Duration.ofDays(1))),
                Date.from(now.plus(VALIDITY)),
                subject,
                keyPair.getPublic());
        try {
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            ContentSigner signer = new JcaContentSignerBuilder("SHA256withRSA").build(keyPair.getPrivate());
            byte[] der = builder.build(signer).getEncoded();
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
        } catch (OperatorCreationException | GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("cannot create a self-signed certificate for CN=" + commonName, e);
        }
    }
}
