package io.github.awsdelegation.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.awsdelegation.DelegationService;
import io.github.awsdelegation.config.DelegationConfig;
import io.github.awsdelegation.config.OidcSettings;
import io.github.awsdelegation.role.DeclarativeRule;
import io.github.awsdelegation.role.RoleGrant;
import io.github.awsdelegation.role.internal.RulePlaceholder;
import io.github.awsdelegation.sts.StsSettings;
import io.github.awsdelegation.token.ConnectionType;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import java.net.URI;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import org.apache.catalina.Context;
import org.apache.catalina.startup.Tomcat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;

/**
 * The filter's start, on a real servlet context (Tomcat's, not started): a {@code bean:} placeholder that no
 * extension filled fails the deployment, naming the rule and the fix, before anything else is contacted.
 */
class AwsDelegationFilterStartTest {

    private final Tomcat tomcat = new Tomcat();
    private final Context context = tomcat.addContext("", null);
    private DelegationService service;

    @AfterEach
    void close() {
        if (service != null) {
            service.close();
        }
    }

    private FilterConfig filterConfig(ServletContext servletContext) {
        return new FilterConfig() {
            @Override
            public String getFilterName() {
                return "aws-delegation";
            }

            @Override
            public ServletContext getServletContext() {
                return servletContext;
            }

            @Override
            public String getInitParameter(String name) {
                return null;
            }

            @Override
            public Enumeration<String> getInitParameterNames() {
                return Collections.emptyEnumeration();
            }
        };
    }

    @Test
    @DisplayName("a rule placed with bean: that no extension contributes fails the filter's start with the fix")
    void unfilledPlaceholder() {
        service = DelegationService.create(DelegationConfig.builder()
                .oidc(OidcSettings.of(URI.create("https://tenant.example.com/"), "pet-shop"))
                .sts(StsSettings.builder().region(Region.EU_WEST_1).build())
                .rules(List.of(new RulePlaceholder("vip-customers"),
                        DeclarativeRule.builder("social-buyers").connectionTypes(ConnectionType.SOCIAL)
                                .grant(RoleGrant.of("arn:aws:iam::123456789012:role/pet-shop-buyer")).build()))
                .build());
        ServletContext servletContext = context.getServletContext();

        assertThatThrownBy(() -> new AwsDelegationFilter(service).init(filterConfig(servletContext)))
                .isInstanceOf(ServletException.class)
                .hasMessage("AWS delegation configuration error: rules: the configuration places rule 'vip-customers' "
                        + "(bean: vip-customers) but no rule with this id was contributed; with aws-delegation-cdi, add a "
                        + "CDI bean implementing RoleRule whose id() is 'vip-customers', or remove the entry");
        assertThat(servletContext.getAttribute(AwsDelegationFilter.SERVICE_ATTRIBUTE)).isNull();
    }
}
