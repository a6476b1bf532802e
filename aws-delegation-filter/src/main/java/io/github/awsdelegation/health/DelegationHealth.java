package io.github.awsdelegation.health;

import io.github.awsdelegation.DelegationEvent;
import io.github.awsdelegation.DelegationListener;
import io.github.awsdelegation.DelegationService;
import io.github.awsdelegation.cache.CredentialStore;
import io.github.awsdelegation.cache.internal.LocalCredentialStore;
import io.github.awsdelegation.token.IssuerStatus;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The readiness of a {@link DelegationService}, checked on demand and without calling anything outside (it reads what
 * the stages last saw):
 * <ul>
 * <li>{@code issuer}: the OIDC discovery document was fetched and has not failed since, and the JWKS was fetched within
 *     {@value #JWKS_STALE_LIFETIMES} cache lifetimes ({@code oidc.jwksCacheTimeToLive}; the keys are refreshed ahead
 *     of each lifetime's end);</li>
 * <li>{@code sts}: the last STS call succeeded (a fresh start, with no call yet, is up); the times of the last success
 *     and failure are in the data;</li>
 * <li>{@code samlCertificate} (with a {@code saml} section): the signing certificate does not expire within
 *     {@link #DEFAULT_CERTIFICATE_WARNING} (30 days);</li>
 * <li>{@code credentialStore}: the store of issued credentials reaches where it keeps them
 *     ({@link CredentialStore#reachable()}: the store in this JVM always does, a clustered one not while its grid is
 *     down).</li>
 * </ul>
 * Thread-safe; {@link DelegationService#health()} is the service's, listening to its STS calls since it started.
 */
public final class DelegationHealth implements DelegationListener {

    /** A signing certificate expiring within this is reported: 30 days. */
    public static final Duration DEFAULT_CERTIFICATE_WARNING = Duration.ofDays(30);

    /** The JWKS is stale when last fetched longer ago than this many cache lifetimes. */
    public static final int JWKS_STALE_LIFETIMES = 2;

    private final DelegationService service;
    private final Clock clock;
    private final Duration certificateWarning;

    private volatile Instant stsSucceededAt;
    private volatile Instant stsFailedAt;
    private volatile String stsFailure;

    private DelegationHealth(DelegationService service, Clock clock, Duration certificateWarning) {
        this.service = Objects.requireNonNull(service, "service");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.certificateWarning = Objects.requireNonNull(certificateWarning, "certificateWarning");
    }

    /**
     * Returns a health of a service, on the given clock (the service's), listening to its STS calls from now on;
     * {@link DelegationService#health()} is the one it made itself.
     */
    public static DelegationHealth of(DelegationService service, Clock clock) {
        DelegationHealth health = new DelegationHealth(service, clock, DEFAULT_CERTIFICATE_WARNING);
        service.addListener(health);
        return health;
    }

    /** Records the outcome of an STS call (issued, refreshed or failed credentials). */
    @Override
    public void onEvent(DelegationEvent event) {
        switch (event.type()) {
            case ISSUED, REFRESHED -> stsSucceededAt = clock.instant();
            case FAILED -> {
                stsFailure = event.reason();
                stsFailedAt = clock.instant();
            }
            default -> {
                // A refusal says nothing of STS's reachability.
            }
        }
    }

    /** Checks now. */
    public HealthReport report() {
        Instant now = clock.instant();
        List<HealthReport.Check> checks = new ArrayList<>();
        checks.add(issuer(now));
        checks.add(sts(now));
        if (service.config().saml() != null) {
            checks.add(certificate(service.config().saml().signingKey().certificate(), now));
        }
        checks.add(store());
        return new HealthReport(now, checks);
    }

    /** Returns whether every check is up now. */
    public boolean ready() {
        return report().ready();
    }

    // The store says itself whether it reaches its grid (CredentialStore.reachable); the local one always does.
    private HealthReport.Check store() {
        CredentialStore store = service.broker().store();
        boolean local = store instanceof LocalCredentialStore;
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("store", local ? "local" : store.getClass().getSimpleName());
        data.put("cached", service.broker().size());
        data.put("fallbackActive", store.fallbackActive());
        data.put("fallbacks", store.fallbacks());
        if (local) {
            return new HealthReport.Check("credentialStore", true, "credentials are kept in this JVM", data);
        }
        if (!store.reachable()) {
            return new HealthReport.Check("credentialStore", false, "the clustered credential store cannot reach its grid: "
                    + "credentials are cached in this JVM only meanwhile (each node calls STS for its own users)", data);
        }
        return new HealthReport.Check("credentialStore", true, "the clustered credential store reaches its grid", data);
    }

    private HealthReport.Check issuer(Instant now) {
        IssuerStatus status = service.validator().issuerStatus();
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("issuer", status.issuer().toString());
        data.put("discoveredAt", text(status.discoveredAt()));
        data.put("jwksFetchedAt", text(status.jwksFetchedAt()));
        data.put("jwksAgeSeconds", status.jwksFetchedAt() == null ? null : Duration.between(status.jwksFetchedAt(), now).toSeconds());
        data.put("keysConfigured", status.keysConfigured());
        data.put("lastFailureAt", text(status.lastFailureAt()));
        if (status.failure().isPresent()) {
            return new HealthReport.Check("issuer", false, "OIDC discovery failed: " + status.lastFailure(), data);
        }
        if (status.keysConfigured()) {
            return new HealthReport.Check("issuer", true, "keys come from a configured source", data);
        }
        if (status.discoveredAt() == null || status.jwksFetchedAt() == null) {
            return new HealthReport.Check("issuer", false, "the issuer has not been discovered yet (the filter does it at "
                    + "start-up; see the log for why it failed)", data);
        }
        Duration stale = service.config().oidc().jwksCacheTimeToLive().multipliedBy(JWKS_STALE_LIFETIMES);
        Duration age = Duration.between(status.jwksFetchedAt(), now);
        if (age.compareTo(stale) > 0) {
            return new HealthReport.Check("issuer", false, "the JWKS was last fetched " + age.toSeconds() + " s ago, longer "
                    + "than " + JWKS_STALE_LIFETIMES + " cache lifetimes (" + stale.toSeconds() + " s): the issuer's keys "
                    + "cannot be refreshed; tokens signed with a new key will be refused", data);
        }
        return new HealthReport.Check("issuer", true, "discovered; JWKS fetched " + age.toSeconds() + " s ago", data);
    }

    private HealthReport.Check sts(Instant now) {
        Instant succeeded = stsSucceededAt;
        Instant failed = stsFailedAt;
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("lastSuccessAt", text(succeeded));
        data.put("lastFailureAt", text(failed));
        if (failed != null && (succeeded == null || failed.isAfter(succeeded))) {
            data.put("lastFailure", stsFailure);
            return new HealthReport.Check("sts", false, "the last STS call failed " + Duration.between(failed, now).toSeconds()
                    + " s ago: " + stsFailure, data);
        }
        return new HealthReport.Check("sts", true, succeeded == null ? "no STS call yet"
                : "the last STS call succeeded " + Duration.between(succeeded, now).toSeconds() + " s ago", data);
    }

    private HealthReport.Check certificate(X509Certificate certificate, Instant now) {
        Instant notAfter = certificate.getNotAfter().toInstant();
        Duration left = Duration.between(now, notAfter);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("subject", certificate.getSubjectX500Principal().getName());
        data.put("notAfter", notAfter.toString());
        data.put("daysLeft", left.toDays());
        if (left.isNegative()) {
            return new HealthReport.Check("samlCertificate", false, "the SAML signing certificate expired on " + notAfter
                    + ": AWS refuses its assertions; configure a new key (saml.keyStore) and upload the new metadata to IAM", data);
        }
        if (left.compareTo(certificateWarning) < 0) {
            return new HealthReport.Check("samlCertificate", false, "the SAML signing certificate expires on " + notAfter
                    + " (in " + left.toDays() + " days, under " + certificateWarning.toDays() + "): publish the next key as a "
                    + "rotation certificate (saml.keyStore), upload the metadata to IAM, then switch", data);
        }
        return new HealthReport.Check("samlCertificate", true, "expires on " + notAfter + " (in " + left.toDays() + " days)", data);
    }

    private static String text(Instant instant) {
        return instant == null ? null : instant.toString();
    }

    @Override
    public String toString() {
        return "DelegationHealth[" + service + "]";
    }
}
