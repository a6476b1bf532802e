package io.github.awsdelegation.config.internal;

import io.github.awsdelegation.config.ConfigurationException;
import io.github.awsdelegation.sts.saml.SamlSigningKey;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.UnrecoverableKeyException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code saml.keyStore} section: where the SAML signing key is. {@link #load(ClassLoader)} reads it; every
 * mistake (no file, wrong password, no such alias, a weak key) is named by its key, relative to the section.
 *
 * @param path          a file path, {@code file:...} or {@code classpath:...}; required
 * @param type          {@code PKCS12} or {@code JKS}; by default, {@value #DEFAULT_TYPE}
 * @param password      the keystore's password; required
 * @param keyPassword   the key's own password, when it differs from the keystore's
 * @param alias         the signing key's alias; by default, the keystore's only key
 * @param rotationAlias the alias of a second certificate published for a key rotation
 */
public record KeyStoreDocument(@Required String path, String type, @Required String password, String keyPassword,
        String alias, String rotationAlias) {

    /** By default, the keystore is PKCS#12. */
    public static final String DEFAULT_TYPE = "PKCS12";

    private static final Logger LOG = LoggerFactory.getLogger(KeyStoreDocument.class);
    private static final Duration EXPIRY_WARNING = Duration.ofDays(30);

    public KeyStoreDocument {
        type = type.toUpperCase(Locale.ROOT);
        if (!type.equals("PKCS12") && !type.equals("JKS")) {
            throw new ConfigurationException("type", "'" + type + "' is not a supported keystore type; use PKCS12 or JKS");
        }
    }

    /** Returns the signing key, reading the keystore; keys of mistakes are relative to this section. */
    SamlSigningKey load(ClassLoader classLoader) {
        KeyStore store = open(classLoader);
        try {
            String signing = alias != null ? alias : onlyKeyAlias(store);
            if (!store.containsAlias(signing) || !store.isKeyEntry(signing)) {
                throw new ConfigurationException("alias", "the keystore " + path + " has no private key under alias '"
                        + signing + "' (aliases: " + Collections.list(store.aliases()) + ")");
            }
            Key key;
            try {
                key = store.getKey(signing, (keyPassword != null ? keyPassword : password).toCharArray());
            } catch (UnrecoverableKeyException e) {
                throw new ConfigurationException(keyPassword != null ? "keyPassword" : "password", "the key '" + signing
                        + "' cannot be unlocked with this password" + (keyPassword == null
                                ? "; if it has its own password, set keyPassword" : ""), e);
            }
            if (!(key instanceof PrivateKey privateKey) || !(store.getCertificate(signing) instanceof X509Certificate certificate)) {
                throw new ConfigurationException("alias", "the entry '" + signing + "' is not a private key with an X.509 certificate");
            }
            SamlSigningKey signingKey = signingKey(privateKey, certificate, List.of(), "alias");
            if (rotationAlias != null) {
                signingKey = signingKey(privateKey, certificate, List.of(rotationCertificate(store, certificate)), "rotationAlias");
            }
            warnIfExpiring(certificate);
            return signingKey;
        } catch (GeneralSecurityException e) {
            throw new ConfigurationException("path", "cannot read the keystore " + path + ": " + e.getMessage(), e);
        }
    }

    private KeyStore open(ClassLoader classLoader) {
        try (InputStream in = stream(classLoader)) {
            KeyStore store = KeyStore.getInstance(type);
            store.load(in, password.toCharArray());
            return store;
        } catch (NoSuchFileException | FileNotFoundException e) {
            throw new ConfigurationException("path", "no keystore at " + path
                    + "; give a file path or classpath:..., e.g. /etc/pet-shop/saml-signing.p12");
        } catch (IOException e) {
            // PKCS#12 and JKS both report a wrong password as an IOException caused by UnrecoverableKeyException.
            boolean wrongPassword = e.getCause() instanceof UnrecoverableKeyException
                    || String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT).contains("password");
            throw new ConfigurationException(wrongPassword ? "password" : "path", wrongPassword
                    ? "the keystore password is wrong for " + path
                    : "cannot read the " + type + " keystore " + path + ": " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new ConfigurationException("path", "cannot read the " + type + " keystore " + path + ": " + e.getMessage(), e);
        }
    }

    private InputStream stream(ClassLoader classLoader) throws IOException {
        if (path.startsWith("classpath:")) {
            String resource = path.substring("classpath:".length()).replaceFirst("^/", "");
            InputStream in = classLoader == null ? null : classLoader.getResourceAsStream(resource);
            if (in == null) {
                throw new FileNotFoundException(path);
            }
            return in;
        }
        return Files.newInputStream(Path.of(path.startsWith("file:") ? path.substring("file:".length()) : path));
    }

    private String onlyKeyAlias(KeyStore store) throws GeneralSecurityException {
        List<String> keyAliases = new ArrayList<>();
        for (String a : Collections.list(store.aliases())) {
            if (store.isKeyEntry(a)) {
                keyAliases.add(a);
            }
        }
        if (keyAliases.size() != 1) {
            throw new ConfigurationException("alias", keyAliases.isEmpty() ? "the keystore " + path + " holds no private key"
                    : "the keystore " + path + " holds several keys " + keyAliases + "; name the signing key's alias");
        }
        return keyAliases.get(0);
    }

    private X509Certificate rotationCertificate(KeyStore store, X509Certificate signing) throws GeneralSecurityException {
        if (!(store.getCertificate(rotationAlias) instanceof X509Certificate rotation)) {
            throw new ConfigurationException("rotationAlias", "the keystore " + path + " has no certificate under alias '"
                    + rotationAlias + "'");
        }
        if (rotation.equals(signing)) {
            throw new ConfigurationException("rotationAlias", "'" + rotationAlias
                    + "' holds the signing certificate itself; name the other key's certificate");
        }
        return rotation;
    }

    // The key alone first, so that a weak rotation certificate is named by rotationAlias and a weak key by alias.
    private static SamlSigningKey signingKey(PrivateKey key, X509Certificate certificate, List<X509Certificate> rotation,
            String setting) {
        try {
            return SamlSigningKey.of(key, certificate, rotation);
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(setting, e.getMessage(), e);
        }
    }

    // IAM keeps using an expired certificate, but operators should rotate before it lapses.
    private static void warnIfExpiring(X509Certificate certificate) {
        Instant notAfter = certificate.getNotAfter().toInstant();
        if (Instant.now().plus(EXPIRY_WARNING).isAfter(notAfter)) {
            LOG.warn("saml.keyStore.alias: the SAML signing certificate {} expires at {}; plan a key rotation (docs/iam-setup.md)",
                    certificate.getSubjectX500Principal().getName(), notAfter);
        }
    }

    @Override
    public String toString() {
        return "KeyStoreDocument[path=" + path + ", type=" + type + ", alias=" + alias + ", password=<redacted>]";
    }
}
