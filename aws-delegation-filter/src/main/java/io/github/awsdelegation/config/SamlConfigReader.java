package io.github.awsdelegation.config;

import io.github.awsdelegation.role.RoleGrant;
import io.github.awsdelegation.sts.Partition;
import io.github.awsdelegation.sts.saml.SamlSettings;
import io.github.awsdelegation.sts.saml.SamlSigningKey;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.PrivateKey;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.regions.Region;

/**
 * Reads the {@code saml} section of the configuration document: the identity provider (entity ID, signing key
 * from a keystore, attributes) and its endpoints. Every mistake is a {@link ConfigurationException} naming the
 * key, so a missing, unreadable or weak key fails the deployment.
 */
final class SamlConfigReader {

    private static final Logger LOG = LoggerFactory.getLogger(SamlConfigReader.class);
    private static final Duration EXPIRY_WARNING = Duration.ofDays(30);
    private static final Set<String> OFF = Set.of("false", "off", "no");
    private static final Set<String> ON = Set.of("true", "on", "yes");

    /**
     * The outcome: the identity provider and its endpoints.
     *
     * @param settings  the identity provider
     * @param endpoints the endpoints
     */
    record Result(SamlSettings settings, SamlEndpointSettings endpoints) {
    }

    private SamlConfigReader() {
    }

    /** Reads the section; the caller calls {@code done()} on it. */
    static Result read(DelegationConfigLoader.Section saml, ClassLoader classLoader) {
        SamlSettings.Builder settings = SamlSettings.builder();
        String entityId = saml.string("entityId", true);
        settings.entityId(entityId);
        DelegationConfigLoader.Section keyStore = saml.section("keyStore", true);
        settings.signingKey(signingKey(keyStore, classLoader));
        keyStore.done();
        saml.durationIfPresent("assertionLifetime", settings::assertionLifetime);
        String signInRegion = saml.string("signInRegion", false);
        if (signInRegion != null) {
            settings.signInRegion(region(saml.key("signInRegion"), signInRegion));
        }
        Map<String, String> attributes = mapping(saml, "attributes");
        attributes.forEach((name, source) -> attempt(saml.key("attributes") + "." + name, () -> settings.attribute(name, source)));
        Map<String, String> tags = mapping(saml, "principalTags");
        tags.forEach((key, source) -> attempt(saml.key("principalTags") + "." + key, () -> settings.principalTag(key, source)));
        settings.transitiveTagKeys(saml.strings("transitiveTagKeys"));
        String sourceIdentity = saml.string("sourceIdentity", false);
        attempt(saml.key("sourceIdentity"), () -> settings.sourceIdentity(sourceIdentity));
        SamlSettings built;
        try {
            built = settings.build();
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(keyOf(saml, e.getMessage()), e.getMessage(), e);
        }
        return new Result(built, endpoints(saml));
    }

    /** Returns the federation named by a role's {@code issuer} key, or {@code null} for the default. */
    static RoleGrant.Federation federation(String key, String value) {
        if (value == null) {
            return null;
        }
        try {
            return RoleGrant.Federation.parse(value);
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(key, e.getMessage(), e);
        }
    }

    private static SamlSigningKey signingKey(DelegationConfigLoader.Section section, ClassLoader classLoader) {
        String path = section.string("path", true);
        String type = section.stringOr("type", "PKCS12").toUpperCase(Locale.ROOT);
        if (!type.equals("PKCS12") && !type.equals("JKS")) {
            throw new ConfigurationException(section.key("type"), "'" + type + "' is not a supported keystore type; use PKCS12 or JKS");
        }
        String password = section.string("password", true);
        String keyPassword = section.string("keyPassword", false);
        String alias = section.string("alias", false);
        String rotationAlias = section.string("rotationAlias", false);

        KeyStore store;
        try (InputStream in = open(path, classLoader)) {
            store = KeyStore.getInstance(type);
            store.load(in, password.toCharArray());
        } catch (NoSuchFileException | FileNotFoundException e) {
            throw new ConfigurationException(section.key("path"), "no keystore at " + path
                    + "; give a file path or classpath:..., e.g. /etc/pet-shop/saml-signing.p12");
        } catch (IOException e) {
            // PKCS#12 and JKS both report a wrong password as an IOException caused by UnrecoverableKeyException.
            boolean wrongPassword = e.getCause() instanceof UnrecoverableKeyException
                    || String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT).contains("password");
            throw new ConfigurationException(wrongPassword ? section.key("password") : section.key("path"), wrongPassword
                    ? "the keystore password is wrong for " + path
                    : "cannot read the " + type + " keystore " + path + ": " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new ConfigurationException(section.key("path"), "cannot read the " + type + " keystore " + path + ": "
                    + e.getMessage(), e);
        }

        try {
            if (alias == null) {
                List<String> keyAliases = new ArrayList<>();
                for (String a : Collections.list(store.aliases())) {
                    if (store.isKeyEntry(a)) {
                        keyAliases.add(a);
                    }
                }
                if (keyAliases.size() != 1) {
                    throw new ConfigurationException(section.key("alias"), keyAliases.isEmpty()
                            ? "the keystore " + path + " holds no private key"
                            : "the keystore " + path + " holds several keys " + keyAliases + "; name the signing key's alias");
                }
                alias = keyAliases.get(0);
            }
            if (!store.containsAlias(alias) || !store.isKeyEntry(alias)) {
                throw new ConfigurationException(section.key("alias"), "the keystore " + path + " has no private key under alias '"
                        + alias + "' (aliases: " + Collections.list(store.aliases()) + ")");
            }
            Key key;
            try {
                key = store.getKey(alias, (keyPassword != null ? keyPassword : password).toCharArray());
            } catch (UnrecoverableKeyException e) {
                throw new ConfigurationException(section.key(keyPassword != null ? "keyPassword" : "password"),
                        "the key '" + alias + "' cannot be unlocked with this password" + (keyPassword == null
                                ? "; if it has its own password, set keyPassword" : ""), e);
            }
            if (!(key instanceof PrivateKey privateKey) || !(store.getCertificate(alias) instanceof X509Certificate certificate)) {
                throw new ConfigurationException(section.key("alias"), "the entry '" + alias
                        + "' is not a private key with an X.509 certificate");
            }
            List<X509Certificate> rotation = new ArrayList<>();
            if (rotationAlias != null) {
                Certificate c = store.getCertificate(rotationAlias);
                if (!(c instanceof X509Certificate x509)) {
                    throw new ConfigurationException(section.key("rotationAlias"), "the keystore " + path
                            + " has no certificate under alias '" + rotationAlias + "'");
                }
                if (x509.equals(certificate)) {
                    throw new ConfigurationException(section.key("rotationAlias"), "'" + rotationAlias
                            + "' holds the signing certificate itself; name the other key's certificate");
                }
                rotation.add(x509);
            }
            SamlSigningKey signingKey;
            try {
                signingKey = SamlSigningKey.of(privateKey, certificate, rotation);
            } catch (IllegalArgumentException e) {
                throw new ConfigurationException(section.key(e.getMessage().startsWith("the rotation") ? "rotationAlias" : "alias"),
                        e.getMessage(), e);
            }
            warnIfExpiring(certificate, section.key("alias"));
            return signingKey;
        } catch (KeyStoreException | java.security.NoSuchAlgorithmException e) {
            throw new ConfigurationException(section.key("path"), "cannot read the keystore " + path + ": " + e.getMessage(), e);
        }
    }

    private static InputStream open(String path, ClassLoader classLoader) throws IOException {
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

    // IAM keeps using an expired certificate, but operators should rotate before it lapses.
    private static void warnIfExpiring(X509Certificate certificate, String key) {
        Instant notAfter = certificate.getNotAfter().toInstant();
        if (Instant.now().plus(EXPIRY_WARNING).isAfter(notAfter)) {
            LOG.warn("{}: the SAML signing certificate {} expires at {}; plan a key rotation (docs/iam-setup.md)", key,
                    certificate.getSubjectX500Principal().getName(), notAfter);
        }
    }

    private static SamlEndpointSettings endpoints(DelegationConfigLoader.Section saml) {
        SamlEndpointSettings d = SamlEndpointSettings.defaults();
        String metadata = d.metadataPath();
        String console = d.consolePath();
        String roles = d.rolesPath();
        String cli = d.cliPath();
        DelegationConfigLoader.Section endpoints = saml.section("endpoints", false);
        if (endpoints != null) {
            metadata = endpointPath(endpoints, "metadata", metadata);
            console = endpointPath(endpoints, "console", console);
            roles = endpointPath(endpoints, "roles", roles);
            // Off by default (opt-in): on (or true, yes) turns it on at its default path, a path at that path.
            cli = ON.contains(endpoints.stringOr("cli", "").toLowerCase(Locale.ROOT)) ? SamlEndpointSettings.DEFAULT_CLI_PATH
                    : endpointPath(endpoints, "cli", cli);
            endpoints.done();
        }
        SamlEndpointSettings.RoleChooser chooser = d.roleChooser();
        URI relayState = null;
        DelegationConfigLoader.Section consoleSection = saml.section("console", false);
        if (consoleSection != null) {
            String value = consoleSection.string("roleChooser", false);
            if (value != null) {
                try {
                    chooser = SamlEndpointSettings.RoleChooser.valueOf(value.toUpperCase(Locale.ROOT));
                } catch (IllegalArgumentException e) {
                    throw new ConfigurationException(consoleSection.key("roleChooser"), "'" + value + "' is not app or aws");
                }
            }
            relayState = consoleSection.uri("relayState", false);
            consoleSection.done();
        }
        URI baseUrl = saml.uri("baseUrl", false);
        Map<String, String> aliases = accountAliases(saml);
        SamlEndpointSettings.Delegation delegation = null;
        DelegationConfigLoader.Section section = saml.section("delegation", false);
        if (section != null) {
            if (section.bool("enabled", true)) {
                List<String> origins = section.strings("allowedOrigins");
                for (String origin : origins) {
                    URI uri;
                    try {
                        uri = new URI(origin);
                    } catch (URISyntaxException e) {
                        uri = null;
                    }
                    if (uri == null || uri.getScheme() == null || uri.getHost() == null
                            || (uri.getPath() != null && !uri.getPath().isEmpty()) || origin.equals("*")) {
                        throw new ConfigurationException(section.key("allowedOrigins"), "'" + origin + "' is not an origin; "
                                + "write scheme://host[:port], e.g. https://shop.example.com (no wildcard: the answer holds credentials)");
                    }
                }
                delegation = new SamlEndpointSettings.Delegation(section.path("path", SamlEndpointSettings.DEFAULT_DELEGATION_PATH),
                        new LinkedHashSet<>(section.strings("clientIds")), origins, rateLimit(section));
            } else {
                section.consumeAll();
            }
            section.done();
        }
        Set<String> paths = new LinkedHashSet<>();
        for (String path : new String[] {metadata, console, roles, cli, delegation == null ? null : delegation.path()}) {
            if (path != null && !paths.add(path)) {
                throw new ConfigurationException(saml.key("endpoints"), "two SAML endpoints share the path " + path);
            }
        }
        return new SamlEndpointSettings(metadata, console, roles, cli, chooser, relayState, baseUrl, aliases, delegation);
    }

    // Requests per minute for one user and for one client IP address; 0 turns the limit off.
    private static int rateLimit(DelegationConfigLoader.Section section) {
        Integer limit = section.integer("rateLimit");
        if (limit == null) {
            return SamlEndpointSettings.Delegation.DEFAULT_RATE_LIMIT;
        }
        if (limit < 0) {
            throw new ConfigurationException(section.key("rateLimit"), limit + " is negative; write the requests per minute "
                    + "allowed for one user and for one IP address (default 10), or 0 to turn the limit off");
        }
        return limit;
    }

    private static String endpointPath(DelegationConfigLoader.Section section, String name, String fallback) {
        String value = section.string(name, false);
        if (value == null) {
            return fallback;
        }
        if (OFF.contains(value.toLowerCase(Locale.ROOT))) {
            return null;
        }
        if (!value.startsWith("/")) {
            throw new ConfigurationException(section.key(name), "'" + value + "' must be a path starting with /, or off");
        }
        return value;
    }

    private static Map<String, String> accountAliases(DelegationConfigLoader.Section saml) {
        Object raw = saml.raw("accountAliases");
        Map<String, String> aliases = new LinkedHashMap<>();
        if (raw == null) {
            return aliases;
        }
        if (!(raw instanceof Map<?, ?> map)) {
            throw new ConfigurationException(saml.key("accountAliases"), "must map account ids to aliases");
        }
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            String account = String.valueOf(entry.getKey());
            if (!account.matches("\\d{12}")) {
                throw new ConfigurationException(saml.key("accountAliases") + "." + account, "'" + account + "' is not a "
                        + "12-digit account id");
            }
            if (!(entry.getValue() instanceof String alias) || !alias.matches("[a-z0-9]([a-z0-9-]{1,61}[a-z0-9])?")) {
                throw new ConfigurationException(saml.key("accountAliases") + "." + account, "'" + entry.getValue()
                        + "' is not an account alias (3-63 lower-case letters, digits and hyphens)");
            }
            aliases.put(account, alias);
        }
        return aliases;
    }

    private static Map<String, String> mapping(DelegationConfigLoader.Section saml, String name) {
        DelegationConfigLoader.Section section = saml.section(name, false);
        Map<String, String> out = new LinkedHashMap<>();
        if (section != null) {
            for (Object key : List.copyOf(section.keys())) {
                String k = String.valueOf(key);
                out.put(k, section.string(k, true));
            }
            section.done();
        }
        return out;
    }

    private static Region region(String key, String value) {
        Region region = Region.of(value);
        try {
            Partition.ofRegion(region);
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(key, e.getMessage(), e);
        }
        return region;
    }

    private static void attempt(String key, Runnable step) {
        try {
            step.run();
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(key, e.getMessage(), e);
        }
    }

    // SamlSettings starts its messages with the setting at fault; map it back to the document's key.
    private static String keyOf(DelegationConfigLoader.Section saml, String message) {
        if (message.startsWith("attribute ")) {
            return saml.key("attributes");
        }
        if (message.startsWith("transitive tag")) {
            return saml.key("transitiveTagKeys");
        }
        if (message.startsWith("principal tag") || message.contains("principal tags")) {
            return saml.key("principalTags");
        }
        for (String name : List.of("entityId", "assertionLifetime", "signInRegion")) {
            if (message.startsWith(name)) {
                return saml.key(name);
            }
        }
        return saml.key("keyStore");
    }
}
