package io.github.awsdelegation.cache.grid;

import io.github.awsdelegation.plan.SessionKey;
import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether a {@link GridCredentialStore}'s grid answers: an operation that fails starts an outage (a WARN once, a
 * fallback counted), during which the store caches in this JVM and keeps the logouts and revocations it takes; a ping
 * every interval ends it by replaying those and dropping the near-cache (other nodes' logouts were missed meanwhile). Until
 * subscribed to the grid's messages, the store would miss other nodes' logouts: it counts as down.
 */
final class GridHealth implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(GridCredentialStore.class);

    private final Grid grid;
    private final Consumer<String> subscriber;
    private final Consumer<SessionKey.UserKey> evictInGrid;
    private final Runnable replayRecords;
    private final Runnable dropNearCache;
    private final Queue<SessionKey.UserKey> pendingEvictions = new ConcurrentLinkedQueue<>();
    private final AtomicLong fallbacks = new AtomicLong();
    private final ScheduledExecutorService pings;
    private volatile boolean down;
    private volatile boolean subscribed;

    /**
     * @param subscriber    what the grid's messages are given to
     * @param evictInGrid   replays a logout taken during an outage
     * @param replayRecords writes the revocations recorded during an outage; throws while the grid is still down
     * @param dropNearCache drops the near-cache when the grid answers again
     */
    GridHealth(Grid grid, Consumer<String> subscriber, Consumer<SessionKey.UserKey> evictInGrid, Runnable replayRecords,
            Runnable dropNearCache) {
        this.grid = grid;
        this.subscriber = subscriber;
        this.evictInGrid = evictInGrid;
        this.replayRecords = replayRecords;
        this.dropNearCache = dropNearCache;
        this.pings = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "aws-delegation-grid-health");
            t.setDaemon(true);
            return t;
        });
    }

    /** Subscribes and pings now (down at start-up is an outage like any other), then every {@code interval}. */
    void start(Duration interval, String startMessage) {
        try {
            subscribe();
            grid.ping();
            LOG.info(startMessage);
        } catch (RuntimeException e) {
            outage(e);
        }
        long millis = interval.toMillis();
        pings.scheduleWithFixedDelay(this::check, millis, millis, TimeUnit.MILLISECONDS);
    }

    /** Runs a task on the health thread every {@code period}, from one period after now, until closed. */
    void every(Duration period, Runnable task) {
        long millis = period.toMillis();
        pings.scheduleAtFixedRate(task, millis, millis, TimeUnit.MILLISECONDS);
    }

    boolean down() {
        return down;
    }

    long fallbacks() {
        return fallbacks.get();
    }

    /** Keeps a logout taken while the grid is down, for when it answers again. */
    void pendingEviction(SessionKey.UserKey user) {
        pendingEvictions.add(user);
    }

    /** An operation on the grid failed: the store caches in this JVM until a ping succeeds. */
    void outage(RuntimeException e) {
        if (!down) {
            synchronized (this) {
                if (!down) {
                    down = true;
                    fallbacks.incrementAndGet();
                    LOG.warn("Credential store: {} cannot be reached ({}); caching credentials in this JVM until it is"
                            + " back", grid.describe(), rootCause(e));
                }
            }
        }
    }

    private void subscribe() {
        if (!subscribed) {
            grid.subscribe(subscriber);
            subscribed = true;
        }
    }

    private void check() {
        try {
            subscribe();
            grid.ping();
        } catch (RuntimeException e) {
            outage(e);
            return;
        }
        if (down) {
            rejoin();
        }
    }

    private synchronized void rejoin() {
        try {
            for (SessionKey.UserKey user; (user = pendingEvictions.peek()) != null; pendingEvictions.poll()) {
                evictInGrid.accept(user);
            }
            replayRecords.run();
        } catch (RuntimeException e) {
            return; // still down: the next check tries again
        }
        // Other nodes' logouts and refreshes during the outage never reached this node: its near-cache goes.
        dropNearCache.run();
        down = false;
        LOG.info("Credential store: {} answers again; credentials are shared through it again", grid.describe());
    }

    static String rootCause(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
    }

    @Override
    public void close() {
        pings.shutdownNow();
    }
}
