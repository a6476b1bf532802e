package io.github.awsdelegation.cluster;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The local STS's clock in the cluster suite: the system clock, set back by an amount the test chooses. STS dates a
 * session's {@code Expiration} by its own clock, so an STS whose clock is {@code 1 h - 90 s} behind issues 1-hour
 * sessions (as STS sees them) that the nodes, on the system clock, find 90 seconds from expiry: every credential
 * lifetime of the cluster passes in seconds, across three JVMs, without a hook in the filter or the nodes. Only
 * the test's STS knows; the nodes run the WAR unchanged.
 */
final class StsClock extends Clock {

    private final AtomicReference<Duration> behind = new AtomicReference<>(Duration.ZERO);

    /** Sets how far behind the system clock STS is from now on. */
    void setBehind(Duration behind) {
        this.behind.set(behind);
    }

    @Override
    public Instant instant() {
        return Instant.now().minus(behind.get());
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("the STS clock is UTC");
    }
}
