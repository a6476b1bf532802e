package io.github.awsdelegation.cdi.it;

import static io.github.awsdelegation.cdi.support.Http.as;
import static io.github.awsdelegation.cdi.support.Http.fields;
import static io.github.awsdelegation.cdi.support.Http.get;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.awsdelegation.cdi.support.CdiEnvironment;
import io.github.awsdelegation.cdi.support.TestWar;
import io.github.awsdelegation.testkit.Demo;
import io.github.awsdelegation.testkit.Fault;
import io.github.awsdelegation.testkit.IssuedSession;
import java.net.URL;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The CDI events an app observes to audit or count: which fire, with what, and nothing secret. */
@ExtendWith(ArquillianExtension.class)
class EventsIT {

    final CdiEnvironment environment = CdiEnvironment.get();

    @ArquillianResource
    URL base;

    @Deployment(testable = false)
    static WebArchive war() {
        return TestWar.create();
    }

    /** The events the app observed about a subject, as "observer event" strings, but for the role decisions. */
    private List<String> events(String subject) {
        return allEvents(subject).stream().filter(e -> !e.contains("type=DECIDED")).toList();
    }

    /** The events the app observed about a subject, as "observer event" strings. */
    private List<String> allEvents(String subject) {
        Map<String, String> got = fields(get(base, "/public/events?subject=" + URLEncoder.encode(subject, StandardCharsets.UTF_8)).body());
        return got.entrySet().stream().filter(e -> e.getKey().startsWith("event")).map(Map.Entry::getValue).toList();
    }

    @Test
    @DisplayName("the app's MeterRegistry bean gets the module's metrics: decisions, STS calls, token validations")
    void meterRegistryBean() {
        as(environment.socialUser("events-metrics"), base, "/inject/servlet");

        assertThat(fields(get(base, "/public/metrics?name=aws.delegation.decisions").body()).get("total"))
                .isNotEqualTo("0");
        assertThat(fields(get(base, "/public/metrics?name=aws.delegation.token.validations").body()).get("total"))
                .isNotEqualTo("0");
        assertThat(fields(get(base, "/public/metrics?name=aws.delegation.sts.calls").body()).get("meters"))
                .isNotEqualTo("0");
    }

    @Test
    @DisplayName("every request the rules grant a role fires @Decided, with the rule, the role and the request's id")
    void decided() {
        String token = environment.socialUser("events-decided");
        as(token, base, "/inject/servlet");
        as(token, base, "/inject/servlet"); // served from the cache: decided again, not issued again

        List<String> decided = allEvents("amazon|events-decided").stream().filter(e -> e.contains("type=DECIDED")).toList();
        assertThat(decided).hasSize(4) // two requests, each seen by the @Decided and the unqualified observer
                .allSatisfy(e -> assertThat(e).contains("ruleId=social-buyers", "roleArn=" + Demo.BUYER_ROLE_ARN,
                        "reason=connection type is social", "entryPoint=FILTER").doesNotContain("requestId=null"));
        assertThat(decided).filteredOn(e -> e.startsWith("Decided DelegationEvent[")).hasSize(2);
    }

    @Test
    @DisplayName("issued credentials fire @Issued with the user, rule, role and assumed-role id, and never a secret")
    void issued() {
        String token = environment.socialUser("events-issued");
        String accessKeyId = fields(as(token, base, "/inject/servlet").body()).get("accessKeyId");
        as(token, base, "/inject/servlet"); // served from the cache: no STS call, no event

        IssuedSession session = environment.session(accessKeyId);
        List<String> events = events("amazon|events-issued");
        assertThat(events).hasSize(2).allSatisfy(event -> assertThat(event)
                .contains("type=ISSUED", "subject=amazon|events-issued", "ruleId=social-buyers", "roleArn=" + Demo.BUYER_ROLE_ARN,
                        "assumedRoleId=" + session.assumedRoleId(), "expiration=" + session.expiration(),
                        "reason=connection type is social", "entryPoint=FILTER")
                .doesNotContain(session.secretAccessKey()).doesNotContain(session.sessionToken()));
        assertThat(events).anySatisfy(e -> assertThat(e).startsWith("Issued DelegationEvent["))
                .anySatisfy(e -> assertThat(e).startsWith("any DelegationEvent["));
    }

    @Test
    @DisplayName("a refused role request fires @Denied with the deciding rule and the role asked for")
    void denied() {
        as(environment.socialUser("events-denied"), base, "/inject/servlet", "X-AWS-Role", "pet-shop-admin");

        String denial = "DelegationEvent[type=DENIED, issuer=" + environment.identityProvider().issuer()
                + ", subject=amazon|events-denied, ruleId=social-buyers, roleArn=null, requestedRole=pet-shop-admin, "
                + "assumedRoleId=null, expiration=null, reason=role 'pet-shop-admin' is not permitted for this user; "
                + "rule 'social-buyers' (connection type is social) permits: pet-shop-buyer, entryPoint=FILTER, ";
        assertThat(events("amazon|events-denied")).hasSize(2)
                .anySatisfy(e -> assertThat(e).startsWith("Denied " + denial))
                .anySatisfy(e -> assertThat(e).startsWith("any " + denial));
    }

    @Test
    @DisplayName("a call @RequiresAwsRole refuses fires @Denied too, from the CDI entry point, with the user's rule and role")
    void denied_requiresAwsRole() {
        int status = as(environment.socialUser("events-interceptor"), base, "/shop?op=remove").statusCode();

        assertThat(status).isEqualTo(403);
        assertThat(events("amazon|events-interceptor")).filteredOn(e -> e.contains("type=DENIED")).hasSize(2)
                .anySatisfy(e -> assertThat(e).startsWith("Denied DelegationEvent[type=DENIED"))
                .allSatisfy(e -> assertThat(e).contains("ruleId=social-buyers", "roleArn=" + Demo.BUYER_ROLE_ARN,
                        "reason=role 'pet-shop-admin' is required to call PetCatalogue.removePet", "entryPoint=CDI"));
    }

    @Test
    @DisplayName("STS being unavailable fires @Failed with the rule and role the user was to get")
    void failed() {
        environment.sts().setFault(Fault.UNAVAILABLE);
        int status;
        try {
            status = as(environment.adminUser("events-failed"), base, "/inject/servlet").statusCode();
        } finally {
            environment.sts().setFault(Fault.NONE);
        }

        assertThat(status).isEqualTo(503);
        assertThat(events("auth0|events-failed")).hasSize(2)
                .anySatisfy(e -> assertThat(e).startsWith("Failed DelegationEvent[type=FAILED"))
                .allSatisfy(e -> assertThat(e).contains("ruleId=database-admins", "roleArn=" + Demo.ADMIN_ROLE_ARN,
                        "assumedRoleId=null"));
    }

    @Test
    @DisplayName("a refresh ahead of expiry fires @Refreshed, from the background")
    void refreshed() throws InterruptedException {
        String token = environment.shortSessionUser("events-refreshed");
        as(token, base, "/inject/servlet");

        // Sessions of the short role are refreshed one to two seconds after they are issued, by the next request.
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        List<String> events = events("amazon|events-refreshed");
        while (events.stream().noneMatch(e -> e.startsWith("Refreshed")) && Instant.now().isBefore(deadline)) {
            Thread.sleep(250);
            as(token, base, "/inject/servlet");
            events = events("amazon|events-refreshed");
        }

        assertThat(events).anySatisfy(e -> assertThat(e).startsWith("Refreshed DelegationEvent[type=REFRESHED")
                .contains("ruleId=short-sessions", "roleArn=" + CdiEnvironment.SHORT_ROLE_ARN));
        assertThat(events).anySatisfy(e -> assertThat(e).startsWith("Issued DelegationEvent[type=ISSUED"));
    }
}
