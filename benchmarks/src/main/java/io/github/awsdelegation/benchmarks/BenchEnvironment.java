package io.github.awsdelegation.benchmarks;

import io.github.awsdelegation.DelegationService;
import io.github.awsdelegation.config.DelegationConfig;
import io.github.awsdelegation.config.DelegationConfigLoader;
import io.github.awsdelegation.testkit.Demo;
import io.github.awsdelegation.testkit.LocalAws;
import java.time.Clock;
import java.util.Map;

/** The local IdP and STS of the testkit, and the seed's configuration pointed at them. */
final class BenchEnvironment implements AutoCloseable {

    final LocalAws aws;
    final DelegationConfig config;

    BenchEnvironment(Clock clock) {
        aws = LocalAws.builder().clock(clock).start();
        config = DelegationConfigLoader.withVariables(Map.of()).parse(document());
    }

    /** The configuration document, to which a section may be added (the cluster rows add {@code cache:}). */
    String document() {
        return """
                oidc:
                  issuer: %s
                  clientId: %s
                login: {}             # the built-in login, as the sample has it: the browser-session rows sign in by it
                sts:
                  region: us-east-1
                  endpoint: %s
                  budget:              # the benchmarks measure the module, not STS's quota: no budgets
                    perUser: 0
                    accountRate: 0
                rules:
                  - id: social-buyers
                    connectionType: social
                    roles:
                      - arn: %s
                  - id: database-admins
                    connectionType: database
                    roles:
                      - arn: %s
                """.formatted(aws.identityProvider().issuer(), Demo.CLIENT_ID, aws.sts().endpoint(),
                Demo.BUYER_ROLE_ARN, Demo.ADMIN_ROLE_ARN);
    }

    DelegationService service(Clock clock) {
        return DelegationService.create(config, clock);
    }

    /** A token of a social user; every call with another id is another user. */
    String token(String id) {
        return aws.identityProvider().newIdToken().subject("amazon|" + id).sign();
    }

    @Override
    public void close() {
        aws.close();
    }
}
