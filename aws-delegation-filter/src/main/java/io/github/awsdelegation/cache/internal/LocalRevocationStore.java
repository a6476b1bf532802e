package io.github.awsdelegation.cache.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.github.awsdelegation.cache.RevocationStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The {@link RevocationStore} in this JVM, used with the local credential store: a bounded Caffeine cache whose records
 * expire each after its own time, on the given clock. Never unavailable. At most {@value #MAX_RECORDS} records, so a
 * flood of logouts costs memory once.
 */
public final class LocalRevocationStore implements RevocationStore {

    /** The most records kept. */
    public static final long MAX_RECORDS = 300_000;

    private record Entry(String value, Duration ttl) {
    }

    private final Cache<String, Entry> records;

    /** Creates the store, expiring records on the clock. */
    public LocalRevocationStore(Clock clock) {
        this.records = Caffeine.newBuilder()
                .maximumSize(MAX_RECORDS)
                .expireAfter(Expiry.<String, Entry>writing((key, entry) -> entry.ttl()))
                .ticker(() -> Duration.between(Instant.EPOCH, clock.instant()).toNanos())
                .build();
    }

    @Override
    public String get(String key) {
        Entry entry = records.getIfPresent(key);
        return entry == null ? null : entry.value();
    }

    @Override
    public void put(String key, String value, Duration ttl) {
        records.put(key, new Entry(value, ttl));
    }

    @Override
    public boolean putIfAbsent(String key, String value, Duration ttl) {
        return records.asMap().putIfAbsent(key, new Entry(value, ttl)) == null;
    }

    @Override
    public String toString() {
        return "LocalRevocationStore[records=" + records.estimatedSize() + "]";
    }
}
