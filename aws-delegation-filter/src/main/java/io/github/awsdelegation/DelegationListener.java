package io.github.awsdelegation;

/**
 * Told what happens to users' AWS credentials, to audit or count it: register one with
 * {@link DelegationService#addListener}. The CDI module registers one that fires CDI events.
 *
 * <p>Methods run synchronously: on the request's thread for {@link #decided}, {@link #issued}, {@link #denied},
 * {@link #throttled}, most {@link #failed} and {@link #evicted} events, and on the background refresh thread for {@link #refreshed} and failed refreshes
 * (where no HTTP request is active). They must be quick: an issue's events run inside the cache's single
 * flight, so every request waiting for the same user's credentials waits for the listeners too. An exception a listener throws is logged and
 * otherwise ignored: a listener cannot change the outcome for the user.
 *
 * <p>Events about a token that failed validation are not reported: before validation there is no user to
 * name (the filter answers 401).
 */
public interface DelegationListener {

    /**
     * Called for every event whose own method ({@link #decided}, {@link #issued}, {@link #refreshed}, {@link #denied},
     * {@link #failed}, {@link #evicted}, {@link #throttled}) is not overridden, for a listener that treats them alike (e.g. one that forwards each event to an audit store).
     * By default, does nothing.
     */
    default void onEvent(DelegationEvent event) {
    }

    /**
     * Called when the rules granted a role to a request: every request that passes the role stage, whether its
     * credentials come from the cache or from STS. By default, calls {@link #onEvent}.
     */
    default void decided(DelegationEvent event) {
        onEvent(event);
    }

    /** Called when STS issued credentials for a user's request. By default, calls {@link #onEvent}. */
    default void issued(DelegationEvent event) {
        onEvent(event);
    }

    /**
     * Called when STS issued replacement credentials in the background, ahead of the cached ones' expiry. By default,
     * calls {@link #onEvent}.
     */
    default void refreshed(DelegationEvent event) {
        onEvent(event);
    }

    /**
     * Called when a user's request was refused a role (the filter answers 403), at whichever entry point
     * ({@link DelegationEvent#entryPoint()}). By default, calls {@link #onEvent}.
     */
    default void denied(DelegationEvent event) {
        onEvent(event);
    }

    /**
     * Called when STS could not issue credentials, for a request (the filter answers 503) or a refresh. By default,
     * calls {@link #onEvent}.
     */
    default void failed(DelegationEvent event) {
        onEvent(event);
    }

    /**
     * Called when a user's cached credentials were dropped: logout, end of the HTTP session, back-channel logout or
     * an operator ({@link DelegationEvent#evictionCause()}). By default, calls {@link #onEvent}.
     */
    default void evicted(DelegationEvent event) {
        onEvent(event);
    }

    /**
     * Called when a request was refused because a budget of STS calls is spent (429 or 503 with {@code Retry-After}).
     * By default, calls {@link #onEvent}.
     */
    default void throttled(DelegationEvent event) {
        onEvent(event);
    }
}
