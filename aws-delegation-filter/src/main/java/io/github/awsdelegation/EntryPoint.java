package io.github.awsdelegation;

/**
 * Where a request entered the pipeline. Every entry point runs the same stages (role decider, session planner,
 * credential broker), and each {@link DelegationEvent} names the one it came from, so that an audit trail can tell a
 * console sign-in from an API call.
 */
public enum EntryPoint {
    /** A protected request through the servlet filter (bearer token or sign-in session). */
    FILTER,
    /** The AWS console sign-in endpoint ({@code saml.console.path}). */
    CONSOLE_SIGN_IN,
    /** The command-line client's sign-in endpoint ({@code saml.cli.path}). */
    CLI_SIGN_IN,
    /** The role listing endpoint ({@code saml.roles.path}). */
    ROLE_LISTING,
    /** The Auth0-compatible {@code /delegation} endpoint. */
    DELEGATION_ENDPOINT,
    /** The CDI module: {@code @RequiresAwsRole} and the app's own calls. */
    CDI,
    /** The app's own code calling {@link DelegationService} directly. */
    APPLICATION,
    /** The filter's logout path, or the end of the user's HTTP session (evictions). */
    LOGOUT,
    /** The OpenID Connect Back-Channel Logout endpoint (evictions). */
    BACK_CHANNEL_LOGOUT,
    /** An operator's admin operation (evictions). */
    ADMIN
}
