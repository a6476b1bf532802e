package io.github.awsdelegation.config;

import io.github.awsdelegation.cache.CredentialCache;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The {@code cache} section: how issued credentials are kept, and where. The defaults are {@link CredentialCache}'s
 * and the store in this JVM; docs/cluster.md says how to share the credentials of a cluster's nodes.
 *
 * @param refreshAhead    how long before expiry cached credentials are refreshed at the earliest (each at its own
 *                        point between this and {@link CredentialCache#RETRY_MARGIN} above {@code minimumValidity});
 *                        longer than {@code minimumValidity} and shorter than {@code sts.sessionDuration}; by default,
 *                        5 minutes
 * @param maximumSize     the maximum number of cached credentials (in a clustered store, of each node's near-cache),
 *                        at least 1; by default, 100,000
 * @param minimumValidity the validity below which cached credentials are never served (the next request waits for
 *                        new ones); positive; by default, 1 minute
 * @param store           where credentials are kept: {@code local} (this JVM), or the name of a clustered store whose
 *                        module is on the class path ({@code hazelcast}, {@code redis}); by default, {@code local}
 * @param encryption      the keys that encrypt credentials before they leave the node; required by a clustered store
 * @param hazelcast       the Hazelcast store ({@code store: hazelcast}), or {@code null} for its defaults
 * @param redis           the Redis store ({@code store: redis}), or {@code null} for its defaults
 */
public record CacheSettings(Duration refreshAhead, long maximumSize, Duration minimumValidity, String store,
        Encryption encryption, Hazelcast hazelcast, Redis redis) {

    /** By default, credentials are refreshed 5 minutes before they expire at the earliest. */
    public static final Duration DEFAULT_REFRESH_AHEAD = CredentialCache.DEFAULT_REFRESH_AHEAD;

    /** By default, at most 100,000 credentials are cached. */
    public static final long DEFAULT_MAXIMUM_SIZE = CredentialCache.DEFAULT_MAXIMUM_SIZE;

    /** By default, credentials with 1 minute or less left are never served. */
    public static final Duration DEFAULT_MINIMUM_VALIDITY = CredentialCache.DEFAULT_MINIMUM_VALIDITY;

    /** The store in this JVM, the default. */
    public static final String LOCAL = "local";

    /** By default, credentials are kept in this JVM. */
    public static final String DEFAULT_STORE = LOCAL;

    public CacheSettings {
        Objects.requireNonNull(refreshAhead, "refreshAhead");
        minimumValidity = minimumValidity == null ? DEFAULT_MINIMUM_VALIDITY : minimumValidity;
        if (minimumValidity.isNegative() || minimumValidity.isZero()) {
            throw new ConfigurationException("cache.minimumValidity", minimumValidity
                    + " must be positive: credentials about to expire must not be handed to the app");
        }
        if (refreshAhead.compareTo(minimumValidity) <= 0) {
            throw new ConfigurationException("cache.refreshAhead", refreshAhead + " must be longer than "
                    + words(minimumValidity) + " and shorter than sts.sessionDuration"
                    + (minimumValidity.equals(DEFAULT_MINIMUM_VALIDITY) ? "" : " (longer than cache.minimumValidity, "
                            + "so credentials are refreshed before they stop being served)"));
        }
        if (maximumSize < 1) {
            throw new ConfigurationException("cache.maximumSize", "must be at least 1");
        }
        store = store == null || store.isBlank() ? DEFAULT_STORE : store.strip().toLowerCase(Locale.ROOT);
    }

    /** Creates the settings of the store in this JVM. */
    public CacheSettings(Duration refreshAhead, long maximumSize) {
        this(refreshAhead, maximumSize, DEFAULT_MINIMUM_VALIDITY, DEFAULT_STORE, null, null, null);
    }

    /** Returns the defaults. */
    public static CacheSettings defaults() {
        return new CacheSettings(DEFAULT_REFRESH_AHEAD, DEFAULT_MAXIMUM_SIZE);
    }

    private static String words(Duration d) {
        if (d.toSeconds() % 60 == 0 && d.toNanosPart() == 0) {
            long minutes = d.toMinutes();
            return minutes + (minutes == 1 ? " minute" : " minutes");
        }
        return d.toString();
    }

    /** Returns whether credentials are kept in this JVM only. */
    public boolean local() {
        return LOCAL.equals(store);
    }

    /**
     * The {@code cache.encryption} section: AES-256-GCM keys by id, given in Base64 (from the environment) or read from
     * a PKCS#12 keystore (its secret keys, by alias). Credentials are encrypted with the active key and carry its id,
     * so a new key can be added, made active, and the old one removed once the credentials it encrypted have expired,
     * without dropping the cache.
     *
     * @param activeKey the id of the key new entries are encrypted with; may be left out when there is one key
     * @param keys      the keys by id, each 32 bytes in Base64 (from {@code ${ENV_VAR}}, never written in the file)
     * @param keyStore  a keystore whose AES secret keys are added to {@code keys}, their aliases as ids
     */
    public record Encryption(String activeKey, Map<String, String> keys, KeyStore keyStore) {

        public Encryption {
            Map<String, String> all = new java.util.LinkedHashMap<>(keys == null ? Map.of() : keys);
            if (keyStore != null) {
                keyStore.load().forEach((id, key) -> {
                    if (all.putIfAbsent(id, key) != null) {
                        throw new ConfigurationException("cache.encryption.keyStore", "the alias '" + id
                                + "' is also a key of cache.encryption.keys; give each key id once");
                    }
                });
            }
            keys = Map.copyOf(all);
            if (keys.isEmpty()) {
                throw new ConfigurationException("cache.encryption.keys",
                        "give at least one key: an id and 32 random bytes in Base64 (openssl rand -base64 32), from an"
                        + " environment variable; or a cache.encryption.keyStore");
            }
            if (activeKey == null || activeKey.isBlank()) {
                if (keys.size() > 1) {
                    throw new ConfigurationException("cache.encryption.activeKey",
                            "say which of the keys " + keys.keySet().stream().sorted().toList() + " encrypts new entries");
                }
                activeKey = keys.keySet().iterator().next();
            }
            if (!keys.containsKey(activeKey)) {
                throw new ConfigurationException("cache.encryption.activeKey", "'" + activeKey
                        + "' is not one of the keys " + keys.keySet().stream().sorted().toList());
            }
        }

        /** Creates the section with keys given by id. */
        public Encryption(String activeKey, Map<String, String> keys) {
            this(activeKey, keys, null);
        }

        // The keys are secrets: their ids only.
        @Override
        public String toString() {
            return "Encryption[activeKey=" + activeKey + ", keys=" + keys.keySet().stream().sorted().toList() + "]";
        }

        /**
         * The {@code cache.encryption.keyStore} section: a keystore holding AES-256 secret keys, e.g. made with
         * {@code keytool -genseckey -keyalg AES -keysize 256 -storetype PKCS12 -alias k1 -keystore cache-keys.p12}.
         *
         * @param path     the keystore file; required
         * @param type     {@code PKCS12} or {@code JCEKS}; by default, {@code PKCS12}
         * @param password the keystore's password (its keys' too), from {@code ${ENV_VAR}}; required
         */
        public record KeyStore(String path, String type, String password) {

            /** By default, the keystore is PKCS#12. */
            public static final String DEFAULT_TYPE = "PKCS12";

            public KeyStore {
                if (path == null || path.isBlank()) {
                    throw new ConfigurationException("cache.encryption.keyStore.path", "is required");
                }
                if (password == null) {
                    throw new ConfigurationException("cache.encryption.keyStore.password", "is required");
                }
                type = type == null || type.isBlank() ? DEFAULT_TYPE : type.toUpperCase(Locale.ROOT);
            }

            // The AES keys of the keystore, in Base64, by alias.
            Map<String, String> load() {
                String key = "cache.encryption.keyStore";
                java.security.KeyStore store;
                try (java.io.InputStream in = java.nio.file.Files.newInputStream(java.nio.file.Path.of(path))) {
                    store = java.security.KeyStore.getInstance(type);
                    store.load(in, password.toCharArray());
                } catch (java.io.IOException | java.security.GeneralSecurityException e) {
                    throw new ConfigurationException(key, "the keystore " + path + " cannot be read (" + e.getMessage()
                            + "); check path, type and password", e);
                }
                Map<String, String> keys = new java.util.LinkedHashMap<>();
                try {
                    for (String alias : java.util.Collections.list(store.aliases())) {
                        if (store.isKeyEntry(alias)
                                && store.getKey(alias, password.toCharArray()) instanceof javax.crypto.SecretKey secret) {
                            keys.put(alias, java.util.Base64.getEncoder().encodeToString(secret.getEncoded()));
                        }
                    }
                } catch (java.security.GeneralSecurityException e) {
                    throw new ConfigurationException(key, "a key of " + path + " cannot be read with the keystore's"
                            + " password: " + e.getMessage(), e);
                }
                if (keys.isEmpty()) {
                    throw new ConfigurationException(key, "the keystore " + path + " holds no secret key; add one with"
                            + " keytool -genseckey -keyalg AES -keysize 256");
                }
                return keys;
            }

            // The password is a secret.
            @Override
            public String toString() {
                return "KeyStore[path=" + path + ", type=" + type + "]";
            }
        }
    }

    /**
     * The {@code cache.hazelcast} section.
     *
     * @param mode        {@code embedded}: each node is a member of the cluster (by default); {@code client}: each
     *                    node is a client of an existing cluster
     * @param clusterName the cluster's name; by default, {@code aws-delegation}
     * @param members     the members' addresses ({@code host:port}), found over TCP (multicast is off); by default,
     *                    {@code 127.0.0.1:5701}
     * @param port        the port an embedded member listens on (the next free one above it when taken); by
     *                    default, 5701
     * @param host        the interface an embedded member binds to and announces; by default, {@code 127.0.0.1}
     */
    public record Hazelcast(Mode mode, String clusterName, List<String> members, int port, String host) {

        /** By default, each node is a member of the cluster. */
        public static final Mode DEFAULT_MODE = Mode.EMBEDDED;

        /** By default, the cluster is called {@code aws-delegation}. */
        public static final String DEFAULT_CLUSTER_NAME = "aws-delegation";

        /** By default, one member on this host's loopback. */
        public static final List<String> DEFAULT_MEMBERS = List.of("127.0.0.1:5701");

        /** By default, an embedded member listens on 5701, Hazelcast's port. */
        public static final int DEFAULT_PORT = 5701;

        /** By default, an embedded member binds to loopback. */
        public static final String DEFAULT_HOST = "127.0.0.1";

        public Hazelcast {
            mode = mode == null ? DEFAULT_MODE : mode;
            clusterName = clusterName == null || clusterName.isBlank() ? DEFAULT_CLUSTER_NAME : clusterName;
            members = members == null || members.isEmpty() ? DEFAULT_MEMBERS : List.copyOf(members);
            port = port == 0 ? DEFAULT_PORT : port;
            host = host == null || host.isBlank() ? DEFAULT_HOST : host;
            if (port < 1 || port > 65535) {
                throw new ConfigurationException("cache.hazelcast.port", port + " is not a port (1-65535)");
            }
        }

        /** Returns the defaults. */
        public static Hazelcast defaults() {
            return new Hazelcast(null, null, null, 0, null);
        }

        /** How a node joins the cluster. */
        public enum Mode {
            /** The node is a member: it holds a share of the entries. */
            EMBEDDED,
            /** The node is a client of a cluster run apart. */
            CLIENT
        }
    }

    /**
     * The {@code cache.redis} section.
     *
     * @param uri       the server, {@code redis://[[user]:password@]host:port[/database]} or {@code rediss://} for
     *                  TLS; by default, {@code redis://127.0.0.1:6379}
     * @param timeout   how long a command may take before the server counts as down; by default, 1 second
     * @param keyPrefix the prefix of every key the store writes; by default, {@code aws-delegation:}
     */
    public record Redis(URI uri, Duration timeout, String keyPrefix) {

        /** By default, a server on this host's loopback. */
        public static final URI DEFAULT_URI = URI.create("redis://127.0.0.1:6379");

        /** By default, a command taking longer than 1 second counts as an outage. */
        public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(1);

        /** By default, keys start with {@code aws-delegation:}. */
        public static final String DEFAULT_KEY_PREFIX = "aws-delegation:";

        public Redis {
            uri = uri == null ? DEFAULT_URI : uri;
            timeout = timeout == null ? DEFAULT_TIMEOUT : timeout;
            keyPrefix = keyPrefix == null ? DEFAULT_KEY_PREFIX : keyPrefix;
            if (!"redis".equals(uri.getScheme()) && !"rediss".equals(uri.getScheme())) {
                throw new ConfigurationException("cache.redis.uri", "must start with redis:// or rediss:// (TLS)");
            }
            if (timeout.isNegative() || timeout.isZero()) {
                throw new ConfigurationException("cache.redis.timeout", "must be positive");
            }
        }

        /** Returns the defaults. */
        public static Redis defaults() {
            return new Redis(null, null, null);
        }

        // The URI may hold a password: host and port only.
        @Override
        public String toString() {
            return "Redis[uri=" + uri.getScheme() + "://" + uri.getHost() + ":" + uri.getPort() + ", timeout=" + timeout
                    + ", keyPrefix=" + keyPrefix + "]";
        }
    }
}
