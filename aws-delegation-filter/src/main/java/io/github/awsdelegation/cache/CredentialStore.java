package io.github.awsdelegation.cache;

import io.github.awsdelegation.plan.SessionKey;
import io.github.awsdelegation.sts.IssuedCredentials;

/**
 * Where the {@link CredentialBroker} keeps users' credentials between requests: in this JVM by default (a bounded
 * Caffeine cache), or in a data grid shared by the nodes of a cluster. The broker decides when credentials are fresh
 * enough, refreshes them ahead of expiry and makes the requests of one JVM wait for one STS call (single flight); the
 * store only keeps what it is given, and makes sure nothing survives a user's logout.
 *
 * <p>Credentials are put through a {@link Lease} taken before STS is called: a logout ({@link #evictUser}) in the
 * meantime voids the lease, so an answer STS gives after the logout is handed to the requests that waited for it but
 * never kept. A store shared by several nodes may also make {@link #lease} wait while another node holds a lease on
 * the same key, so that one node of the cluster calls STS (the broker reads the store again once it has the lease).
 *
 * <p>Implementations are thread-safe. The credentials they hold are secrets: a store outside the JVM must encrypt them
 * and never log them.
 */
public interface CredentialStore extends AutoCloseable {

    /**
     * Returns the credentials stored under a key, or {@code null}. A store may drop credentials once they expire; the
     * broker does not serve credentials close to expiry whatever the store returns.
     */
    IssuedCredentials get(SessionKey key);

    /**
     * Takes a lease on a key, before calling STS for it: the answer is put through it.
     *
     * @return the lease; close it when the call is over
     */
    Lease lease(SessionKey key);

    /**
     * Takes a lease on a key for a refresh ahead of expiry, or returns {@code null} when another node of the cluster
     * holds one (it is refreshing them, or loading them): the current credentials are served meanwhile. By default,
     * {@link #lease}.
     */
    default Lease tryLease(SessionKey key) {
        return lease(key);
    }

    /** Drops the credentials under a key if they are still these (they were found too close to expiry). */
    void remove(SessionKey key, IssuedCredentials stale);

    /** Drops all of a user's credentials and voids the user's open leases (logout, or the HTTP session ended). */
    void evictUser(String issuer, String subject);

    /** Returns how many credentials are stored (approximate). */
    long size();

    /**
     * Returns whether the store reaches where it keeps credentials (a readiness view reads it). A store in this JVM
     * always does; a clustered store does not while its grid is down, and then caches in this JVM.
     */
    default boolean reachable() {
        return true;
    }

    /**
     * Returns whether the store caches in this JVM only, because its grid cannot be reached (a gauge reads it). Never
     * for a store in this JVM.
     */
    default boolean fallbackActive() {
        return false;
    }

    /** Returns how many times the store fell back to caching in this JVM since it started, one per outage (a counter). */
    default long fallbacks() {
        return 0;
    }

    /**
     * Returns where revocations and logout token ids are kept ({@link RevocationStore}): a clustered store returns one
     * shared by the nodes, in its grid, which lives and dies with it. By default {@code null}: they are kept in this
     * JVM, as credentials are.
     */
    default RevocationStore revocationStore() {
        return null;
    }

    /** Drops everything and releases the store's resources. */
    @Override
    void close();

    /** The right to store credentials under one key, taken before STS is called for it. */
    interface Lease extends AutoCloseable {

        /** Stores credentials STS issued, unless the user was evicted since the lease was taken. */
        void put(IssuedCredentials credentials);

        /**
         * Replaces credentials with fresher ones (a refresh ahead of expiry), only if the key still holds
         * {@code current} and the user was not evicted since the lease was taken: a newer sign-in is never overwritten.
         */
        void replace(IssuedCredentials current, IssuedCredentials fresh);

        /** Releases the lease. */
        @Override
        default void close() {
        }
    }
}
