package io.github.awsdelegation.testkit;

import io.github.awsdelegation.testkit.apigateway.LocalPetsApi;
import io.github.awsdelegation.testkit.internal.Loopback;
import io.github.awsdelegation.testkit.s3.LocalS3;
import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * A running {@link LocalIdentityProvider} and a local AWS account — {@link LocalSts}, {@link LocalS3} and the
 * {@link LocalPetsApi} — wired together: the STS knows the identity provider as an OIDC provider for all its clients
 * and has the two {@link Demo} roles ({@link Demo#BUYER_ROLE_ARN}, {@link Demo#ADMIN_ROLE_ARN}) trusting it for
 * audience {@link Demo#CLIENT_ID}, with the permission policies {@link Demo#buyerPermissionPolicy} and
 * {@link Demo#adminPermissionPolicy}; the S3 has the bucket {@link Demo#PETS_BUCKET} and the API the {@link Demo#PETS}.
 * The S3 and the API accept the STS's credentials and enforce those policies. Closing it stops all of them.
 *
 * <p>An outside identity provider (Keycloak, say) can stand in front of the same local AWS:
 * {@link Builder#trustIssuer(URI, String)} registers it at the STS as an IAM OIDC provider and adds it to the demo
 * roles' trust policies, as an administrator would with IAM CreateOpenIDConnectProvider and UpdateAssumeRolePolicy.
 */
public final class LocalAws implements AutoCloseable {

    private final LocalIdentityProvider identityProvider;
    private final LocalSts sts;
    private final LocalS3 s3;
    private final LocalPetsApi petsApi;
    private final Map<URI, String> trustedIssuers;

    private LocalAws(LocalIdentityProvider identityProvider, LocalSts sts, LocalS3 s3, LocalPetsApi petsApi,
            Map<URI, String> trustedIssuers) {
        this.identityProvider = identityProvider;
        this.sts = sts;
        this.s3 = s3;
        this.petsApi = petsApi;
        this.trustedIssuers = trustedIssuers;
    }

    /** Returns a builder; {@code builder().start()} starts the demo set-up on free ports. */
    public static Builder builder() {
        return new Builder();
    }

    /** Returns the identity provider. */
    public LocalIdentityProvider identityProvider() {
        return identityProvider;
    }

    /** Returns the STS. */
    public LocalSts sts() {
        return sts;
    }

    /** Returns the S3. */
    public LocalS3 s3() {
        return s3;
    }

    /** Returns the pets API. */
    public LocalPetsApi petsApi() {
        return petsApi;
    }

    /**
     * Returns the outside issuers the STS trusts besides {@link #identityProvider()}, each with the client id its
     * tokens must be issued to (see {@link Builder#trustIssuer(URI, String)}); empty by default.
     */
    public Map<URI, String> trustedIssuers() {
        return trustedIssuers;
    }

    /** Stops the pets API, the S3, the STS and the identity provider. */
    @Override
    public void close() {
        try {
            petsApi.close();
            s3.close();
        } finally {
            try {
                sts.close();
            } finally {
                identityProvider.close();
            }
        }
    }

    @Override
    public String toString() {
        return "LocalAws[issuer=" + identityProvider.issuer() + ", sts=" + sts.endpoint() + ", s3=" + s3.endpoint()
                + ", petsApi=" + petsApi.endpoint() + "]";
    }

    /**
     * Configures a {@link LocalAws}. The customizers run after the demo defaults are applied, so they can add
     * clients, users and roles; a registered client replaces the default demo client (see
     * {@link LocalIdentityProviderBuilder}).
     */
    public static final class Builder {
        private Consumer<LocalIdentityProviderBuilder> identityProviderCustomizer = b -> { };
        private Consumer<LocalStsBuilder> stsCustomizer = b -> { };
        private Consumer<LocalS3.Builder> s3Customizer = b -> { };
        private Consumer<LocalPetsApi.Builder> petsApiCustomizer = b -> { };
        private int s3Port;
        private int petsApiPort;
        private Clock clock = Clock.systemUTC();
        private int identityProviderPort;
        private int stsPort;
        private boolean demoRoles = true;
        private final Map<URI, String> trustedIssuers = new LinkedHashMap<>();

        private Builder() {
        }

        /** Customizes the identity provider before it starts. */
        public Builder identityProvider(Consumer<LocalIdentityProviderBuilder> customizer) {
            this.identityProviderCustomizer = Objects.requireNonNull(customizer, "customizer");
            return this;
        }

        /** Customizes the STS before it starts (more roles, another account id). */
        public Builder sts(Consumer<LocalStsBuilder> customizer) {
            this.stsCustomizer = Objects.requireNonNull(customizer, "customizer");
            return this;
        }

        /** Customizes the S3 before it starts (more buckets, another region). */
        public Builder s3(Consumer<LocalS3.Builder> customizer) {
            this.s3Customizer = Objects.requireNonNull(customizer, "customizer");
            return this;
        }

        /** Customizes the pets API before it starts (more pets, another stage). */
        public Builder petsApi(Consumer<LocalPetsApi.Builder> customizer) {
            this.petsApiCustomizer = Objects.requireNonNull(customizer, "customizer");
            return this;
        }

        /** Sets the S3's port; 0 (the default) picks a free one. */
        public Builder s3Port(int port) {
            this.s3Port = port;
            return this;
        }

        /** Sets the pets API's port; 0 (the default) picks a free one. */
        public Builder petsApiPort(int port) {
            this.petsApiPort = port;
            return this;
        }

        /** Sets the clock of all of them (e.g. a {@link FakeClock}). By default, the system UTC clock. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Sets the identity provider's port; 0 (the default) picks a free one. */
        public Builder identityProviderPort(int port) {
            this.identityProviderPort = port;
            return this;
        }

        /** Sets the STS's port; 0 (the default) picks a free one. */
        public Builder stsPort(int port) {
            this.stsPort = port;
            return this;
        }

        /**
         * Trusts an outside OIDC provider as well as the testkit's own: the STS registers it as an IAM OIDC provider
         * for {@code clientId} (fetching its discovery document and JWKS on every AssumeRoleWithWebIdentity, as for
         * the built-in one), and the demo roles trust it for that audience, with their own-folder statements for its
         * users' {@code sub}. Repeatable, one client id per issuer (a second call for an issuer replaces the first).
         *
         * @param issuer   the provider's issuer exactly as its tokens' {@code iss}, e.g.
         *                 {@code http://127.0.0.1:8180/realms/petshop}; on 127.0.0.1 or localhost (the testkit talks to
         *                 nothing else)
         * @param clientId the client id (audience) its ID tokens are issued to
         * @throws IllegalArgumentException when the issuer is not an http(s) URL on loopback or the client id is blank
         */
        public Builder trustIssuer(URI issuer, String clientId) {
            Objects.requireNonNull(issuer, "issuer");
            if (!Loopback.isLoopbackHttp(issuer)) {
                throw new IllegalArgumentException("LocalAws trustIssuer: the issuer must be an http(s) URL on 127.0.0.1 or"
                        + " localhost, got " + issuer);
            }
            if (clientId == null || clientId.isBlank()) {
                throw new IllegalArgumentException("LocalAws trustIssuer " + issuer + ": give the client id its tokens are issued to");
            }
            trustedIssuers.put(issuer, clientId);
            return this;
        }

        /** Whether the STS gets the two demo roles (and the S3 the demo bucket, the API the demo pets). By default, true. */
        public Builder demoRoles(boolean demoRoles) {
            this.demoRoles = demoRoles;
            return this;
        }

        /** Starts the identity provider, the STS, the S3 and the pets API; if one fails to start, those started stop. */
        public LocalAws start() {
            LocalIdentityProviderBuilder idpBuilder = LocalIdentityProvider.builder().port(identityProviderPort).clock(clock);
            identityProviderCustomizer.accept(idpBuilder);
            LocalIdentityProvider idp = idpBuilder.start();
            try {
                LocalStsBuilder stsBuilder = LocalSts.builder().port(stsPort).clock(clock)
                        .oidcProvider(idp.issuer(), idp.clientIds().toArray(String[]::new));
                trustedIssuers.forEach((issuer, clientId) -> stsBuilder.oidcProvider(issuer, clientId));
                if (demoRoles) {
                    Map<URI, String> audiences = new LinkedHashMap<>();
                    audiences.put(idp.issuer(), Demo.CLIENT_ID);
                    audiences.putAll(trustedIssuers);
                    List<URI> issuers = new ArrayList<>(audiences.keySet());
                    stsBuilder.role(demoRole(Demo.BUYER_ROLE_ARN, audiences, Demo.buyerPermissionPolicy(issuers)))
                            .role(demoRole(Demo.ADMIN_ROLE_ARN, audiences, Demo.adminPermissionPolicy(idp.issuer())));
                }
                stsCustomizer.accept(stsBuilder);
                LocalSts sts = stsBuilder.start();
                LocalS3 s3 = null;
                try {
                    LocalS3.Builder s3Builder = LocalS3.builder().sts(sts).port(s3Port);
                    LocalPetsApi.Builder apiBuilder = LocalPetsApi.builder().sts(sts).port(petsApiPort);
                    if (demoRoles) {
                        s3Builder.bucket(Demo.PETS_BUCKET);
                        for (Map.Entry<String, java.math.BigDecimal> pet : Demo.PETS) {
                            apiBuilder.pet(pet.getKey(), pet.getValue());
                        }
                    }
                    s3Customizer.accept(s3Builder);
                    petsApiCustomizer.accept(apiBuilder);
                    s3 = s3Builder.start();
                    return new LocalAws(idp, sts, s3, apiBuilder.start(), Collections.unmodifiableMap(new LinkedHashMap<>(trustedIssuers)));
                } catch (RuntimeException | Error e) {
                    if (s3 != null) {
                        s3.close();
                    }
                    sts.close();
                    throw e;
                }
            } catch (RuntimeException | Error e) {
                idp.close();
                throw e;
            }
        }

        private static LocalRole demoRole(String arn, Map<URI, String> audiences, String permissionPolicy) {
            return LocalRole.builder().arn(arn)
                    .trustPolicy(LocalRole.webIdentityTrustPolicy(Demo.ACCOUNT_ID, audiences))
                    .permissionPolicy(permissionPolicy)
                    .build();
        }
    }
}
