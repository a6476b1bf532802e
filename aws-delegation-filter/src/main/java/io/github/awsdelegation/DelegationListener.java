package io.github.awsdelegation;

/**
 * Told what happens to users' AWS credentials, to audit or count it: register one with
 * {@link DelegationService#addListener}. The CDI module registers one that fires CDI events.
 *
 * <p>Methods run synchronously: on the request's thread for {@link #issued}, {@link #denied} and most
 * {@link #failed} events, and on the background refresh thread for {@link #refreshed} and failed refreshes
 * (where no HTTP request is active). They must be quick: an issue's events run inside the cache's single
 * flight, so every request waiting for the same user's credentials waits for the listeners too. An exception a listener throws is logged and
 * otherwise ignored: a listener cannot change the outcome for the user.
 *
 * <p>Events about a token that failed validation are not reported: before validation there is no user to
 * name (the filter answers 401).
 */
public interface DelegationListener {

    /**
     * Called for every event whose own method ({@link #issued}, {@link #refreshed}, {@link #denied}, {@link #failed}) is
     * not overridden, for a listener that treats them alike (e.g. one that forwards each event to an audit store).
     * By default, does nothing.
     */
    default void onEvent(DelegationEvent event) {
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
}
