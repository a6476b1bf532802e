package io.github.awsdelegation.metrics.internal;

/** The meters' names, in Micrometer's dotted form (Prometheus: dots become underscores, units are appended). */
public final class MeterNames {

    /** Timer: calls to STS, by {@code operation}, {@code outcome} and {@code error}. */
    public static final String STS_CALLS = "aws.delegation.sts.calls";
    /** Counter: role decisions, by {@code outcome} ({@code granted}, {@code denied}), {@code rule} and {@code entry.point}. */
    public static final String DECISIONS = "aws.delegation.decisions";
    /** Counter: requests for credentials, by {@code result} ({@code hit}, {@code miss}). */
    public static final String CACHE_REQUESTS = "aws.delegation.cache.requests";
    /** Counter: background refreshes, by {@code outcome}. */
    public static final String CACHE_REFRESHES = "aws.delegation.cache.refreshes";
    /** Counter: evictions of a user's credentials, by {@code cause}. */
    public static final String CACHE_EVICTIONS = "aws.delegation.cache.evictions";
    /** Gauge: credentials in the cache (one per user, role and session shape). */
    public static final String CACHE_SIZE = "aws.delegation.cache.size";
    /** Counter: ID token validations, by {@code outcome} ({@code valid}, {@code rejected}, {@code unavailable}). */
    public static final String TOKEN_VALIDATIONS = "aws.delegation.token.validations";
    /** Counter: JWKS fetches, by {@code outcome}. */
    public static final String JWKS_FETCHES = "aws.delegation.jwks.fetches";
    /** Counter: discovery document fetches, by {@code outcome}. */
    public static final String DISCOVERY_FETCHES = "aws.delegation.discovery.fetches";
    /** Distribution summary (seconds): how long issued credentials are valid when STS issues them, by {@code rule}. */
    public static final String CREDENTIALS_VALIDITY = "aws.delegation.credentials.validity";
    /** Counter: requests refused because a budget of STS calls is spent, by {@code limit}. */
    public static final String THROTTLED = "aws.delegation.throttled";

    private MeterNames() {
    }
}
