package io.github.awsdelegation.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.awsdelegation.DelegationService;
import io.github.awsdelegation.config.DelegationConfig;
import io.github.awsdelegation.config.OidcSettings;
import io.github.awsdelegation.role.DeclarativeRule;
import io.github.awsdelegation.role.RoleGrant;
import io.github.awsdelegation.sts.CredentialsUnavailableException;
import io.github.awsdelegation.sts.StsSettings;
import io.github.awsdelegation.testkit.Demo;
import io.github.awsdelegation.testkit.Fault;
import io.github.awsdelegation.testkit.LocalAws;
import io.github.awsdelegation.token.ConnectionType;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;

/**
 * The client spans around discovery, JWKS and STS calls, as an OpenTelemetry SDK records them in memory; without an
 * SDK the global OpenTelemetry is a no-op and nothing changes.
 */
class TracingTest {

    private final InMemorySpanExporter exporter = InMemorySpanExporter.create();
    private LocalAws aws;
    private DelegationService service;
    private OpenTelemetrySdk openTelemetry;

    @BeforeEach
    void start() {
        aws = LocalAws.builder().start();
        service = DelegationService.create(DelegationConfig.builder()
                .oidc(OidcSettings.of(aws.identityProvider().issuer(), Demo.CLIENT_ID))
                .sts(StsSettings.builder().region(Region.US_EAST_1).endpointOverride(aws.sts().endpoint()).maxAttempts(1).build())
                .rules(List.of(DeclarativeRule.builder("social-buyers").connectionTypes(ConnectionType.SOCIAL)
                        .grant(RoleGrant.of(Demo.BUYER_ROLE_ARN)).build()))
                .build());
        openTelemetry = OpenTelemetrySdk.builder()
                .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exporter)).build())
                .build();
    }

    @AfterEach
    void stop() {
        service.close();
        aws.close();
        openTelemetry.close();
    }

    private static String attribute(SpanData span, String key) {
        return span.getAttributes().get(AttributeKey.stringKey(key));
    }

    @Test
    @DisplayName("discovery, JWKS and STS calls are client spans, named and described")
    void spans() {
        service.telemetry().openTelemetry(openTelemetry);

        service.delegate(aws.identityProvider().idTokenForSocialUser(Demo.BUYER_AMAZON_ID), null, null);

        List<SpanData> spans = exporter.getFinishedSpanItems();
        assertThat(spans).extracting(SpanData::getName)
                .contains("OIDC discovery", "JWKS fetch", "STS AssumeRoleWithWebIdentity");
        assertThat(spans).allSatisfy(span -> assertThat(span.getKind()).isEqualTo(SpanKind.CLIENT));
        SpanData sts = spans.stream().filter(s -> s.getName().startsWith("STS")).findFirst().orElseThrow();
        assertThat(attribute(sts, "rpc.system")).isEqualTo("aws-api");
        assertThat(attribute(sts, "rpc.service")).isEqualTo("STS");
        assertThat(attribute(sts, "rpc.method")).isEqualTo("AssumeRoleWithWebIdentity");
        assertThat(attribute(sts, "cloud.region")).isEqualTo("us-east-1");
        assertThat(attribute(sts, "aws.delegation.rule")).isEqualTo("social-buyers");
        SpanData discovery = spans.stream().filter(s -> s.getName().equals("OIDC discovery")).findFirst().orElseThrow();
        assertThat(attribute(discovery, "url.full")).endsWith("/.well-known/openid-configuration");
        SpanData jwks = spans.stream().filter(s -> s.getName().equals("JWKS fetch")).findFirst().orElseThrow();
        assertThat(attribute(jwks, "url.full")).startsWith(aws.identityProvider().issuer().toString());
    }

    @Test
    @DisplayName("a failed STS call is an error span with the exception recorded")
    void failedCall() {
        service.telemetry().openTelemetry(openTelemetry);
        aws.sts().setFault(Fault.UNAVAILABLE);

        assertThatThrownBy(() -> service.delegate(aws.identityProvider().idTokenForSocialUser(Demo.BUYER_AMAZON_ID), null, null))
                .isInstanceOf(CredentialsUnavailableException.class);

        SpanData sts = exporter.getFinishedSpanItems().stream().filter(s -> s.getName().startsWith("STS")).findFirst()
                .orElseThrow();
        assertThat(sts.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(sts.getEvents()).anySatisfy(event -> assertThat(event.getName()).isEqualTo("exception"));
    }

    @Test
    @DisplayName("with the API but no SDK registered, spans go to the global no-op tracer and nothing else changes")
    void globalNoop() {
        assertThat(service.telemetry().tracing()).isTrue();

        assertThat(service.delegate(aws.identityProvider().idTokenForSocialUser(Demo.BUYER_AMAZON_ID), null, null)
                .decision().ruleId()).isEqualTo("social-buyers");
        assertThat(exporter.getFinishedSpanItems()).isEmpty();
    }
}
