package io.github.awsdelegation.cache;

import java.time.Duration;

/**
 * Where the records that cut users off are kept: which users and provider sessions were revoked and since when, which
 * user signed in with a provider session, and which logout tokens ({@code jti}) were used. In this JVM by default; a
 * clustered {@link CredentialStore} supplies one shared by the nodes ({@link CredentialStore#revocationStore()}), so
 * that a logout token posted to one node ends the session on every node, and cannot be replayed at another.
 *
 * <p>Keys and values are given in clear (a key names an issuer and a subject or session): a store outside the JVM names
 * its records by keyed hashes and encrypts the values. Records expire after the time they are kept for.
 *
 * <p>Reads answer from this node's memory when they can, as they run on every request, and never fail: while a shared
 * store cannot be reached, they answer what this node knows. Writes fail instead, with
 * {@link StoreUnavailableException}, when they cannot be shared: the back-channel logout answers 503, so that the
 * provider tries again, rather than let a replayed token through or leave a session alive on another node unsaid.
 * Implementations are thread-safe.
 */
public interface RevocationStore {

    /** Returns the record under a key, or {@code null} when there is none (or it expired). Never throws. */
    String get(String key);

    /**
     * Keeps a record under a key for {@code ttl}, for every node, replacing the one there.
     *
     * @throws StoreUnavailableException when the record cannot be shared with the other nodes now
     */
    void put(String key, String value, Duration ttl);

    /**
     * Keeps a record under a key for {@code ttl} only if there is none (atomic put-if-absent): the first use of a logout
     * token's {@code jti}.
     *
     * @return whether this call kept it; {@code false} when the key was used before, on any node
     * @throws StoreUnavailableException when the shared store cannot tell now (it never answers "first use" blindly)
     */
    boolean putIfAbsent(String key, String value, Duration ttl);
}
