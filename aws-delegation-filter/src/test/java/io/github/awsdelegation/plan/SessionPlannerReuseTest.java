package io.github.awsdelegation.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.awsdelegation.EntryPoint;
import io.github.awsdelegation.Identities;
import io.github.awsdelegation.internal.Listeners;
import io.github.awsdelegation.role.DeclarativeRule;
import io.github.awsdelegation.role.RoleDecider;
import io.github.awsdelegation.role.RoleDecision;
import io.github.awsdelegation.role.RoleGrant;
import io.github.awsdelegation.role.RoleRules;
import io.github.awsdelegation.scope.internal.SessionDurations;
import io.github.awsdelegation.token.ConnectionType;
import io.github.awsdelegation.token.VerifiedIdentity;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;

/**
 * The planner remembers each identity's last plan: a user's next request with an equal decision gets that plan, and
 * anything that shapes the session differently gets a new one.
 */
class SessionPlannerReuseTest {

    static final String BUYER = "arn:aws:iam::123456789012:role/pet-shop-buyer";
    static final String ADMIN = "arn:aws:iam::123456789012:role/pet-shop-admin";

    final SessionDurations durations = new SessionDurations();
    final RoleDecider decider = new RoleDecider(RoleRules.of(List.of(DeclarativeRule.builder("buyers")
            .connectionTypes(ConnectionType.SOCIAL).grant(RoleGrant.of(BUYER)).grant(RoleGrant.of(ADMIN)).build())),
            new Listeners());
    final SessionPlanner planner = new SessionPlanner(decider, Duration.ofHours(1), Region.US_EAST_1, null, durations);
    final VerifiedIdentity alice = Identities.social("amazon|alice");

    RoleDecision decide(VerifiedIdentity user, String role) {
        return decider.rules().decide(user, role);
    }

    @Test
    @DisplayName("the same identity with an equal decision (a new decision object, as every request makes) gets the same plan")
    void plan_sameIdentityEqualDecision_samePlan() {
        SessionPlan first = planner.plan(alice, decide(alice, null), EntryPoint.FILTER);

        assertThat(planner.plan(alice, decide(alice, null), EntryPoint.FILTER)).isSameAs(first);
    }

    @Test
    @DisplayName("another role, another entry point or a duration STS lowered meanwhile gives a new plan of its own")
    void plan_anythingDifferent_newPlan() {
        SessionPlan buyer = planner.plan(alice, decide(alice, null), EntryPoint.FILTER);

        SessionPlan admin = planner.plan(alice, decide(alice, "pet-shop-admin"), EntryPoint.FILTER);
        assertThat(admin.role().roleArn()).isEqualTo(ADMIN);
        assertThat(admin.cacheKey()).isNotEqualTo(buyer.cacheKey());

        SessionPlan console = planner.plan(alice, decide(alice, "pet-shop-admin"), EntryPoint.CONSOLE_SIGN_IN);
        assertThat(console.entryPoint()).isEqualTo(EntryPoint.CONSOLE_SIGN_IN);
        assertThat(console.cacheKey()).isEqualTo(admin.cacheKey());

        durations.learn(ADMIN, Duration.ofMinutes(30));
        SessionPlan shorter = planner.plan(alice, decide(alice, "pet-shop-admin"), EntryPoint.CONSOLE_SIGN_IN);
        assertThat(shorter.duration()).isEqualTo(Duration.ofMinutes(30));
        assertThat(shorter.cacheKey()).isNotEqualTo(console.cacheKey());
    }

    @Test
    @DisplayName("an equal identity that is another object (another token of the user) is planned afresh, to an equal key")
    void plan_equalIdentityOtherObject_equalKey() {
        SessionPlan first = planner.plan(alice, decide(alice, null), EntryPoint.FILTER);
        VerifiedIdentity again = Identities.social("amazon|alice");

        SessionPlan second = planner.plan(again, decide(again, null), EntryPoint.FILTER);

        assertThat(second).isNotSameAs(first);
        assertThat(second.identity()).isSameAs(again);
        assertThat(second.cacheKey()).isEqualTo(first.cacheKey());
    }

    @Test
    @DisplayName("another user never gets a plan of someone else")
    void plan_otherUser_ownPlan() {
        planner.plan(alice, decide(alice, null), EntryPoint.FILTER);
        VerifiedIdentity bob = Identities.social("amazon|bob");

        SessionPlan plan = planner.plan(bob, decide(bob, null), EntryPoint.FILTER);

        assertThat(plan.identity()).isSameAs(bob);
        assertThat(plan.cacheKey().subject()).isEqualTo("amazon|bob");
    }
}
