package io.github.awsdelegation.testkit;

import java.time.Clock;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * A running pair of {@link LocalIdentityProvider} and {@link LocalSts}, wired as an AWS account trusting the
 * identity provider: the STS knows the identity provider as an OIDC provider for all its clients and has the two
 * {@link Demo} roles ({@link Demo#BUYER_ROLE_ARN}, {@link Demo#ADMIN_ROLE_ARN}) trusting it for audience
 * {@link Demo#CLIENT_ID}. Closing it stops both.
 */
public final class LocalAws implements AutoCloseable {

    private final LocalIdentityProvider identityProvider;
    private final LocalSts sts;

    private LocalAws(LocalIdentityProvider identityProvider, LocalSts sts) {
        this.identityProvider = identityProvider;
        this.sts = sts;
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

    /** Stops the STS and the identity provider. */
    @Override
    public void close() {
        try {
            sts.close();
        } finally {
            identityProvider.close();
        }
    }

    @Override
    public String toString() {
        return "LocalAws[issuer=" + identityProvider.issuer() + ", sts=" + sts.endpoint() + "]";
    }

    /**
     * Configures a {@link LocalAws}. The customizers run after the demo defaults are applied, so they can add
     * clients, users and roles; a registered client replaces the default demo client (see
     * {@link LocalIdentityProvider.Builder}).
     */
    public static final class Builder {
        private Consumer<LocalIdentityProvider.Builder> identityProviderCustomizer = b -> { };
        private Consumer<LocalSts.Builder> stsCustomizer = b -> { };
        private Clock clock = Clock.systemUTC();
        private int identityProviderPort;
        private int stsPort;
        private boolean demoRoles = true;

        private Builder() {
        }

        /** Customizes the identity provider before it starts. */
        public Builder identityProvider(Consumer<LocalIdentityProvider.Builder> customizer) {
            this.identityProviderCustomizer = Objects.requireNonNull(customizer, "customizer");
            return this;
        }

        /** Customizes the STS before it starts (more roles, another account id). */
        public Builder sts(Consumer<LocalSts.Builder> customizer) {
            this.stsCustomizer = Objects.requireNonNull(customizer, "customizer");
            return this;
        }

        /** Sets the clock of both (e.g. a {@link FakeClock}). By default, the system UTC clock. */
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

        /** Whether the STS gets the two demo roles. By default, true. */
        public Builder demoRoles(boolean demoRoles) {
            this.demoRoles = demoRoles;
            return this;
        }

        /** Starts the identity provider, then the STS; if the STS fails to start, the identity provider is stopped. */
        public LocalAws start() {
            LocalIdentityProvider.Builder idpBuilder = LocalIdentityProvider.builder().port(identityProviderPort).clock(clock);
            identityProviderCustomizer.accept(idpBuilder);
            LocalIdentityProvider idp = idpBuilder.start();
            try {
                LocalSts.Builder stsBuilder = LocalSts.builder().port(stsPort).clock(clock)
                        .oidcProvider(idp.issuer(), idp.clientIds().toArray(String[]::new));
                if (demoRoles) {
                    stsBuilder.role(demoRole(Demo.BUYER_ROLE_ARN, idp, Demo.BUYER_PERMISSION_POLICY))
                            .role(demoRole(Demo.ADMIN_ROLE_ARN, idp, Demo.ADMIN_PERMISSION_POLICY));
                }
                stsCustomizer.accept(stsBuilder);
                return new LocalAws(idp, stsBuilder.start());
            } catch (RuntimeException | Error e) {
                idp.close();
                throw e;
            }
        }

        private static LocalRole demoRole(String arn, LocalIdentityProvider idp, String permissionPolicy) {
            return LocalRole.builder().arn(arn)
                    .trustPolicy(LocalRole.webIdentityTrustPolicy(Demo.ACCOUNT_ID, idp.issuer(), Demo.CLIENT_ID))
                    .permissionPolicy(permissionPolicy)
                    .build();
        }
    }
}
