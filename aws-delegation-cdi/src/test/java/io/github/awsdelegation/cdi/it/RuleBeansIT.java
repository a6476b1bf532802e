package io.github.awsdelegation.cdi.it;

import static io.github.awsdelegation.cdi.support.Http.as;
import static io.github.awsdelegation.cdi.support.Http.fields;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.awsdelegation.cdi.support.CdiEnvironment;
import io.github.awsdelegation.cdi.support.TestWar;
import java.net.URL;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Rule beans in decisions. The WAR's document places {@code vip-customers} first ({@code - bean:}); the beans
 * {@code partners} (priority 10) and {@code anyone-else} (priority 20) are not placed, so they follow the document.
 */
@ExtendWith(ArquillianExtension.class)
class RuleBeansIT {

    final CdiEnvironment environment = CdiEnvironment.get();

    @ArquillianResource
    URL base;

    @Deployment(testable = false)
    static WebArchive war() {
        return TestWar.create();
    }

    private Map<String, String> decisionFor(String token) {
        return fields(as(token, base, "/inject/servlet").body());
    }

    @Test
    @DisplayName("a rule bean the configuration places decides before the rules below it")
    void placedBean() {
        assertThat(decisionFor(environment.socialUser("vip-customer")))
                .containsEntry("rule", "vip-customers")
                .containsEntry("role", "pet-shop-admin")
                .containsEntry("reason", "listed as a VIP customer");
    }

    @Test
    @DisplayName("the configured rules decide for the users they match, before any unplaced bean")
    void configuredRules() {
        assertThat(decisionFor(environment.socialUser("plain-customer")))
                .containsEntry("rule", "social-buyers").containsEntry("role", "pet-shop-buyer");
    }

    @Test
    @DisplayName("unplaced rule beans follow the configured rules, lowest priority first")
    void unplacedBeans() {
        assertThat(decisionFor(environment.userWithSubject("partner|acme")))
                .containsEntry("rule", "partners").containsEntry("reason", "a partner's user");
        assertThat(decisionFor(environment.userWithSubject("custom|stranger")))
                .containsEntry("rule", "anyone-else").containsEntry("role", "pet-shop-buyer");
    }
}
