package io.github.awsdelegation.benchmarks;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.ConfigurableJWTProcessor;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.lang.reflect.Field;
import java.net.MalformedURLException;
import java.net.URI;
import java.text.ParseException;
import java.time.Clock;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.LongAdder;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleWithWebIdentityCredentialsProvider;
import software.amazon.awssdk.services.sts.auth.StsCredentialsProvider;
import software.amazon.awssdk.services.sts.model.AssumeRoleWithWebIdentityRequest;

/**
 * The peer: a servlet protected the way apps do it today, to compare the module against in the same run. On every
 * request it verifies the bearer token with a Nimbus {@link DefaultJWTProcessor} (RS256 signature against a cached
 * JWKS built by {@link JWKSourceBuilder}, as Spring Security's resource server does; {@code iss}, {@code aud},
 * {@code exp} by {@link DefaultJWTClaimsVerifier}), finds or creates the user's
 * {@link StsAssumeRoleWithWebIdentityCredentialsProvider} in a map keyed by subject (default stale and prefetch times,
 * one shared {@link StsClient} on the URL connection client), calls {@code resolveCredentials()} and sets the
 * credentials as a request attribute.
 *
 * <p>Not a strawman: the JWKS is cached, the STS client is reused, each user's provider is kept and refreshes with
 * the user's newest token (hand-written code often captures the first one, which fails once it expires).
 */
final class PeerFilter implements Filter, AutoCloseable {

    /** The request attribute holding the user's {@link AwsCredentials}. */
    static final String CREDENTIALS_ATTRIBUTE = "peer.awsCredentials";

    private final ConfigurableJWTProcessor<SecurityContext> tokens = new DefaultJWTProcessor<>();
    private final StsClient sts;
    private final String roleArn;
    private final ConcurrentMap<String, User> users = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, LongAdder> stsCallers = new ConcurrentHashMap<>();
    private final Clock sdkClock;

    /**
     * Creates the peer for one issuer and audience, assuming one role for every user.
     *
     * @param jwksUri     the issuer's JWKS, fetched once and cached (5 minutes by default, as Nimbus does)
     * @param stsEndpoint the STS endpoint (the testkit's local STS)
     */
    PeerFilter(URI issuer, URI jwksUri, String clientId, URI stsEndpoint, String roleArn) {
        this(issuer, jwksUri, clientId, stsEndpoint, roleArn, null);
    }

    /**
     * Creates the peer whose SDK providers judge their prefetch and stale times by {@code sdkClock} (a fake clock, for
     * the rows across credential expiry) instead of the system clock. The SDK has such a clock for its own tests
     * ({@code CachedSupplier.Builder.clock}, {@code @SdkTestInternalApi}) but not on the provider's builder, so it is
     * set by reflection on each provider's cache; everything else stays the SDK's default.
     */
    PeerFilter(URI issuer, URI jwksUri, String clientId, URI stsEndpoint, String roleArn, Clock sdkClock) {
        this.sdkClock = sdkClock;
        JWKSource<SecurityContext> keys;
        try {
            keys = JWKSourceBuilder.create(jwksUri.toURL()).build();
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException("peer: bad JWKS URI " + jwksUri, e);
        }
        tokens.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.RS256, keys));
        tokens.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(Set.of(clientId),
                new JWTClaimsSet.Builder().issuer(issuer.toString()).build(), Set.of("sub", "exp", "iat"), null));
        sts = StsClient.builder().region(Region.US_EAST_1).endpointOverride(stsEndpoint)
                .httpClient(UrlConnectionHttpClient.create())
                // AssumeRoleWithWebIdentity is not signed: no credentials of the app's own are looked up.
                .credentialsProvider(AnonymousCredentialsProvider.create())
                .build();
        this.roleArn = roleArn;
    }

    /** A user's provider, and the newest token seen for the user, which the provider's refreshes present. */
    private final class User {
        volatile String token;
        final StsAssumeRoleWithWebIdentityCredentialsProvider provider;

        User(String subject, String token) {
            this.token = token;
            String sessionName = subject.replaceAll("[^\\w+=,.@-]", "-");
            this.provider = StsAssumeRoleWithWebIdentityCredentialsProvider.builder()
                    .stsClient(sts)
                    .refreshRequest(() -> {
                        // The provider asks for a request once per STS call, on the thread that makes it.
                        String thread = Thread.currentThread().getName().replaceAll("\\d+$", "");
                        stsCallers.computeIfAbsent(thread, t -> new LongAdder()).increment();
                        return AssumeRoleWithWebIdentityRequest.builder()
                                .roleArn(roleArn)
                                .roleSessionName(sessionName.length() > 64 ? sessionName.substring(0, 64) : sessionName)
                                .webIdentityToken(this.token)
                                .build();
                    })
                    .build();
            if (sdkClock != null) {
                setSdkClock(provider, sdkClock);
            }
        }
    }

    /**
     * What the filter does for a bearer token: verifies it, then returns the user's credentials.
     *
     * @throws BadJOSEException when the token is rejected (signature, iss, aud, exp)
     * @throws SdkException     when STS fails
     */
    AwsCredentials credentials(String token) throws ParseException, BadJOSEException, JOSEException {
        JWTClaimsSet claims = tokens.process(token, null);
        User user = users.computeIfAbsent(claims.getSubject(), subject -> new User(subject, token));
        if (!token.equals(user.token)) {
            user.token = token;
        }
        return user.provider.resolveCredentials();
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) req;
        HttpServletResponse response = (HttpServletResponse) res;
        String header = request.getHeader("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            response.setHeader("WWW-Authenticate", "Bearer");
            response.sendError(HttpServletResponse.SC_UNAUTHORIZED);
            return;
        }
        AwsCredentials credentials;
        try {
            credentials = credentials(header.substring(7).trim());
        } catch (ParseException | BadJOSEException | JOSEException e) {
            response.setHeader("WWW-Authenticate", "Bearer error=\"invalid_token\"");
            response.sendError(HttpServletResponse.SC_UNAUTHORIZED);
            return;
        } catch (SdkException e) {
            response.sendError(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
            return;
        }
        request.setAttribute(CREDENTIALS_ATTRIBUTE, credentials);
        chain.doFilter(request, response);
    }

    private static void setSdkClock(StsCredentialsProvider provider, Clock clock) {
        try {
            Field cacheField = StsCredentialsProvider.class.getDeclaredField("sessionCache");
            cacheField.setAccessible(true);
            Object cache = cacheField.get(provider);
            Field clockField = cache.getClass().getDeclaredField("clock"); // CachedSupplier's, an @SdkProtectedApi type
            clockField.setAccessible(true);
            clockField.set(cache, clock);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("peer: this SDK version's provider cache has no clock to set", e);
        }
    }

    /** Returns how many times the users' providers called STS. */
    long stsCalls() {
        return stsCallers.values().stream().mapToLong(LongAdder::sum).sum();
    }

    /** Returns how many times the users' providers called STS on threads whose name is the prefix and a number. */
    long stsCallsOn(String threadNamePrefix) {
        LongAdder calls = stsCallers.get(threadNamePrefix);
        return calls == null ? 0 : calls.sum();
    }

    /** Returns how many users have a provider. */
    int users() {
        return users.size();
    }

    @Override
    public void close() {
        users.values().forEach(u -> u.provider.close());
        sts.close();
    }
}
