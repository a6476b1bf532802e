package io.github.awsdelegation.testkit;

import io.github.awsdelegation.testkit.apigateway.LocalPetsApi;
import io.github.awsdelegation.testkit.s3.LocalS3;
import java.time.Clock;
import java.util.function.Consumer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * A JUnit 5 extension that runs one {@link LocalAws} (a {@link LocalIdentityProvider}, a {@link LocalSts}, a
 * {@link LocalS3} and a {@link LocalPetsApi} wired together, with the {@link Demo} roles, bucket and pets) for a test
 * class:
 * <pre>{@code
 * @RegisterExtension
 * static LocalAwsExtension aws = LocalAwsExtension.builder().build();
 *
 * @Test
 * void assumesRole(LocalIdentityProvider idp, LocalSts sts) { ... }
 * }</pre>
 * Registered on a static field (or with {@code @ExtendWith(LocalAwsExtension.class)}) it starts before all tests
 * and stops after all tests of the class, nested classes included; registered on an instance field it starts and
 * stops around each test. It resolves test and lifecycle method parameters of type {@link LocalIdentityProvider},
 * {@link LocalSts}, {@link LocalS3}, {@link LocalPetsApi} and {@link LocalAws}.
 */
public final class LocalAwsExtension implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback,
        AfterEachCallback, ParameterResolver {

    private final LocalAws.Builder builder;
    private volatile LocalAws running;
    private volatile String startedBy;

    /** Creates an extension with the demo set-up on free ports, for {@code @ExtendWith(LocalAwsExtension.class)}. */
    public LocalAwsExtension() {
        this(LocalAws.builder());
    }

    private LocalAwsExtension(LocalAws.Builder builder) {
        this.builder = builder;
    }

    /** Returns a builder. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns the running identity provider.
     *
     * @throws IllegalStateException outside the tests of the class
     */
    public LocalIdentityProvider identityProvider() {
        return requireRunning().identityProvider();
    }

    /**
     * Returns the running STS.
     *
     * @throws IllegalStateException outside the tests of the class
     */
    public LocalSts sts() {
        return requireRunning().sts();
    }

    /**
     * Returns the running S3.
     *
     * @throws IllegalStateException outside the tests of the class
     */
    public LocalS3 s3() {
        return requireRunning().s3();
    }

    /**
     * Returns the running pets API.
     *
     * @throws IllegalStateException outside the tests of the class
     */
    public LocalPetsApi petsApi() {
        return requireRunning().petsApi();
    }

    /** Starts both unless running (the outermost class owns them). */
    @Override
    public void beforeAll(ExtensionContext context) {
        start(context);
    }

    /** Stops both if this class started them. */
    @Override
    public void afterAll(ExtensionContext context) {
        stop(context);
    }

    /** Starts both unless running, for an extension on an instance field. */
    @Override
    public void beforeEach(ExtensionContext context) {
        start(context);
    }

    /** Stops both if this test started them. */
    @Override
    public void afterEach(ExtensionContext context) {
        stop(context);
    }

    /** Supports {@link LocalIdentityProvider}, {@link LocalSts}, {@link LocalS3}, {@link LocalPetsApi} and {@link LocalAws} parameters. */
    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        Class<?> type = parameterContext.getParameter().getType();
        return type == LocalIdentityProvider.class || type == LocalSts.class || type == LocalAws.class
                || type == LocalS3.class || type == LocalPetsApi.class;
    }

    /** Returns the running identity provider, STS or pair. */
    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        LocalAws aws = running;
        if (aws == null) {
            throw new ParameterResolutionException("LocalAwsExtension is not running: register it on a static field"
                    + " to use it in @BeforeAll methods");
        }
        Class<?> type = parameterContext.getParameter().getType();
        if (type == LocalIdentityProvider.class) {
            return aws.identityProvider();
        }
        if (type == LocalSts.class) {
            return aws.sts();
        }
        if (type == LocalS3.class) {
            return aws.s3();
        }
        if (type == LocalPetsApi.class) {
            return aws.petsApi();
        }
        return aws;
    }

    private synchronized void start(ExtensionContext context) {
        if (running == null) {
            running = builder.start();
            startedBy = context.getUniqueId();
        }
    }

    private synchronized void stop(ExtensionContext context) {
        if (running != null && context.getUniqueId().equals(startedBy)) {
            try {
                running.close();
            } finally {
                running = null;
                startedBy = null;
            }
        }
    }

    private LocalAws requireRunning() {
        LocalAws aws = running;
        if (aws == null) {
            throw new IllegalStateException("LocalAwsExtension is not running (outside the tests of its class?)");
        }
        return aws;
    }

    /** Configures a {@link LocalAwsExtension}; see {@link LocalAws.Builder} for the meaning of each setting. */
    public static final class Builder {
        private final LocalAws.Builder aws = LocalAws.builder();

        private Builder() {
        }

        /** Customizes the identity provider before it starts. */
        public Builder identityProvider(Consumer<LocalIdentityProviderBuilder> customizer) {
            aws.identityProvider(customizer);
            return this;
        }

        /** Customizes the STS before it starts. */
        public Builder sts(Consumer<LocalStsBuilder> customizer) {
            aws.sts(customizer);
            return this;
        }

        /** Customizes the S3 before it starts. */
        public Builder s3(Consumer<LocalS3.Builder> customizer) {
            aws.s3(customizer);
            return this;
        }

        /** Customizes the pets API before it starts. */
        public Builder petsApi(Consumer<LocalPetsApi.Builder> customizer) {
            aws.petsApi(customizer);
            return this;
        }

        /** Sets the clock of all of them. By default, the system UTC clock. */
        public Builder clock(Clock clock) {
            aws.clock(clock);
            return this;
        }

        /** Whether the STS gets the two demo roles. By default, true. */
        public Builder demoRoles(boolean demoRoles) {
            aws.demoRoles(demoRoles);
            return this;
        }

        /** Builds the extension; it starts when JUnit calls it. */
        public LocalAwsExtension build() {
            return new LocalAwsExtension(aws);
        }
    }
}
