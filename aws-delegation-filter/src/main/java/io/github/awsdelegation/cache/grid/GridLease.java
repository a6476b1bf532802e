package io.github.awsdelegation.cache.grid;

import io.github.awsdelegation.cache.CredentialStore;
import io.github.awsdelegation.plan.SessionKey;
import io.github.awsdelegation.sts.IssuedCredentials;

/**
 * A lease of a {@link GridCredentialStore} on one entry, over the near-cache's own lease: a lease in the grid when
 * {@code holder} is set, or none (another node's put was read, or the lease outlived its time). A put checks afterwards
 * that the entry's name is still in the user's index, and takes the value back when a logout on any node emptied it
 * since the lease was taken.
 */
final class GridLease implements CredentialStore.Lease {

    private final GridCredentialStore store;
    private final SessionKey key;
    private final String name;
    private final String user;
    private final String holder;
    private final CredentialStore.Lease near;

    GridLease(GridCredentialStore store, SessionKey key, String name, String user, String holder,
            CredentialStore.Lease near) {
        this.store = store;
        this.key = key;
        this.name = name;
        this.user = user;
        this.holder = holder;
        this.near = near;
    }

    @Override
    public void put(IssuedCredentials credentials) {
        near.put(credentials);
        if (store.health().down()) {
            return;
        }
        try {
            byte[] value = store.cipher().encrypt(credentials, name);
            store.grid().put(name, value, store.ttl(credentials));
            confirm(value, credentials);
        } catch (RuntimeException e) {
            store.health().outage(e);
        }
    }

    @Override
    public void replace(IssuedCredentials current, IssuedCredentials fresh) {
        near.replace(current, fresh);
        if (store.health().down()) {
            return;
        }
        try {
            byte[] stored = store.grid().get(name);
            IssuedCredentials found = stored == null ? null : store.decrypt(stored, name);
            if (found == null || !GridCredentialStore.same(found, current)) {
                return; // removed by a logout, or already newer
            }
            byte[] value = store.cipher().encrypt(fresh, name);
            if (store.grid().replace(name, stored, value, store.ttl(fresh))) {
                confirm(value, fresh);
            }
        } catch (RuntimeException e) {
            store.health().outage(e);
        }
    }

    // A logout on any node since the lease was taken emptied the user's index: the value is taken back.
    private void confirm(byte[] value, IssuedCredentials credentials) {
        if (store.grid().indexed(user, name)) {
            store.grid().publish(store.messages().message(GridMessages.PUT, name));
        } else {
            store.grid().remove(name, value);
            store.near().remove(key, credentials);
        }
    }

    @Override
    public void close() {
        near.close();
        if (holder != null && !store.health().down()) {
            try {
                store.grid().releaseLease(name, holder);
            } catch (RuntimeException e) {
                store.health().outage(e); // the lease expires by itself
            }
        }
    }
}
