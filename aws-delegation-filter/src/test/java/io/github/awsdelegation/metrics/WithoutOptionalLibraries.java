package io.github.awsdelegation.metrics;

import io.github.awsdelegation.Delegation;
import io.github.awsdelegation.DelegationService;
import io.github.awsdelegation.config.DelegationConfig;
import io.github.awsdelegation.config.OidcSettings;
import io.github.awsdelegation.role.DeclarativeRule;
import io.github.awsdelegation.role.RoleGrant;
import io.github.awsdelegation.servlet.AwsDelegationFilter;
import io.github.awsdelegation.sts.StsSettings;
import io.github.awsdelegation.testkit.Demo;
import io.github.awsdelegation.testkit.LocalAws;
import io.github.awsdelegation.token.ConnectionType;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.List;
import org.apache.catalina.Context;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.descriptor.web.FilterDef;
import org.apache.tomcat.util.descriptor.web.FilterMap;
import software.amazon.awssdk.regions.Region;

/**
 * Run by {@link WithoutOptionalLibrariesTest} in a JVM whose class path has neither Micrometer nor OpenTelemetry: the
 * service and the filter work, and nothing is measured or traced. Exits 0 when everything held, else throws.
 */
public final class WithoutOptionalLibraries {

    private WithoutOptionalLibraries() {
    }

    public static void main(String[] args) throws Exception {
        for (String absent : List.of("io.micrometer.core.instrument.MeterRegistry", "io.opentelemetry.api.GlobalOpenTelemetry")) {
            try {
                Class.forName(absent);
                throw new AssertionError(absent + " is on the class path; the test must run without it");
            } catch (ClassNotFoundException expected) {
                // as it should be
            }
        }
        try (LocalAws aws = LocalAws.builder().start();
             DelegationService service = DelegationService.create(DelegationConfig.builder()
                     .oidc(OidcSettings.of(aws.identityProvider().issuer(), Demo.CLIENT_ID))
                     .sts(StsSettings.builder().region(Region.US_EAST_1).endpointOverride(aws.sts().endpoint()).build())
                     .rules(List.of(DeclarativeRule.builder("social-buyers").connectionTypes(ConnectionType.SOCIAL)
                             .grant(RoleGrant.of(Demo.BUYER_ROLE_ARN)).build()))
                     .build())) {
            Delegation delegation = service.delegate(aws.identityProvider().idTokenForSocialUser(Demo.BUYER_AMAZON_ID), null, null);
            check(delegation.credentials().stsRequestId() != null, "the STS request id is known");
            check(!service.telemetry().tracing(), "no spans without the OpenTelemetry API");

            Tomcat tomcat = new Tomcat();
            tomcat.setBaseDir(Files.createTempDirectory("without-optional").toString());
            tomcat.setPort(0);
            tomcat.getConnector().setProperty("address", "127.0.0.1");
            Context context = tomcat.addContext("", null);
            FilterDef filter = new FilterDef();
            filter.setFilterName("aws-delegation");
            filter.setFilter(new AwsDelegationFilter(service));
            context.addFilterDef(filter);
            FilterMap mapping = new FilterMap();
            mapping.setFilterName("aws-delegation");
            mapping.addURLPattern("/*");
            context.addFilterMap(mapping);
            Tomcat.addServlet(context, "app", new jakarta.servlet.http.HttpServlet() {
                private static final long serialVersionUID = 1L;

                @Override
                protected void doGet(jakarta.servlet.http.HttpServletRequest request,
                        jakarta.servlet.http.HttpServletResponse response) throws java.io.IOException {
                    response.getWriter().write(AwsDelegationFilter.delegation(request).orElseThrow().decision().ruleId());
                }
            });
            context.addServletMappingDecoded("/*", "app");
            tomcat.start();
            try {
                HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + tomcat.getConnector().getLocalPort() + "/api"))
                        .header("Authorization", "Bearer " + aws.identityProvider().idTokenForSocialUser(Demo.BUYER_AMAZON_ID))
                        .build(), HttpResponse.BodyHandlers.ofString());
                check(response.statusCode() == 200 && response.body().equals("social-buyers"),
                        "the filter serves a request: " + response.statusCode() + " " + response.body());
                check(response.headers().firstValue("X-Request-Id").isPresent(), "the filter answers a request id");
            } finally {
                tomcat.stop();
                tomcat.destroy();
            }
        }
        System.out.println("WITHOUT-OPTIONAL-LIBRARIES: OK");
    }

    private static void check(boolean condition, String what) {
        if (!condition) {
            throw new AssertionError("expected: " + what);
        }
    }
}
