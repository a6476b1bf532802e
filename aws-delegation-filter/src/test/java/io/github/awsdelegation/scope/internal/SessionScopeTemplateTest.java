package io.github.awsdelegation.scope.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.awsdelegation.Identities;
import io.github.awsdelegation.role.RoleGrant;
import io.github.awsdelegation.role.RoleScope;
import io.github.awsdelegation.scope.ScopeConfigurationException;
import io.github.awsdelegation.scope.ScopeRejectedException;
import io.github.awsdelegation.scope.SessionScope;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class SessionScopeTemplateTest {

    static final String ROLE = "arn:aws:iam::123456789012:role/pet-shop-app";

    static RoleGrant assumeRole(Map<String, String> tags, List<String> transitive, String sourceIdentity, String... policyArns) {
        return RoleGrant.builder(ROLE).federation(RoleGrant.Federation.ASSUME_ROLE)
                .scope(new RoleScope(List.of(policyArns), tags, transitive, sourceIdentity)).build();
    }

    @Test
    @DisplayName("tags, transitive keys, source identity and managed policies are rendered for the user")
    void render() {
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put("email", "${email}");
        tags.put("groups", "${groups}");
        tags.put("app", "pet-shop");
        SessionScopeTemplate template = SessionScopeTemplate.parse("admins", assumeRole(tags, List.of("email"), "${sessionName}",
                "arn:aws:iam::123456789012:policy/read-only"));

        SessionScope scope = template.render(Identities.database("auth0|5f7c", List.of("pet-admins", "ops")));

        assertThat(scope.tags()).containsExactly(Map.entry("email", "admin@example.com"), Map.entry("groups", "pet-admins:ops"),
                Map.entry("app", "pet-shop"));
        assertThat(scope.transitiveTagKeys()).containsExactly("email");
        assertThat(scope.sourceIdentity()).isEqualTo(RoleSessionNames.of("auth0|5f7c")).startsWith("auth0-5f7c-");
        assertThat(scope.policyArns()).containsExactly("arn:aws:iam::123456789012:policy/read-only");
        assertThat(scope.sessionPolicy()).isNull();
    }

    @Test
    @DisplayName("a value STS would refuse as a tag or source identity is refused before STS is called (403), naming the fix")
    void render_refusesValuesStsRejects() {
        SessionScopeTemplate tagged = SessionScopeTemplate.parse("r", assumeRole(Map.of("sub", "${sub}"), List.of(), null));
        SessionScopeTemplate sourced = SessionScopeTemplate.parse("r", assumeRole(Map.of(), List.of(), "${sub}"));

        assertThatThrownBy(() -> tagged.render(Identities.social("amazon|1")))
                .isInstanceOf(ScopeRejectedException.class).hasMessageContaining("tag 'sub'").hasMessageContaining("${sessionName}");
        assertThatThrownBy(() -> sourced.render(Identities.social("amazon|1")))
                .isInstanceOf(ScopeRejectedException.class).hasMessageContaining("source identity").hasMessageContaining("${sessionName}");
        assertThatThrownBy(() -> tagged.render(Identities.social("amazon*")))
                .isInstanceOf(ScopeRejectedException.class).hasMessageContaining("wildcard");
    }

    @Test
    @DisplayName("configuration that cannot work is refused at startup, naming the key")
    void parse_refusesWhatCannotWork() {
        assertThatThrownBy(() -> SessionScopeTemplate.parse("r", RoleGrant.builder(ROLE)
                .federation(RoleGrant.Federation.WEB_IDENTITY)
                .scope(new RoleScope(List.of(), Map.of("team", "blue"), List.of(), null)).build()))
                .isInstanceOfSatisfying(ScopeConfigurationException.class, e -> assertThat(e.key()).isEqualTo("tags"))
                .hasMessageContaining("https://aws.amazon.com/tags");
        assertThatThrownBy(() -> SessionScopeTemplate.parse("r", assumeRole(Map.of("team", "${department}"), List.of(), null)))
                .isInstanceOfSatisfying(ScopeConfigurationException.class, e -> assertThat(e.key()).isEqualTo("tags.team"))
                .hasMessageContaining("unknown variable ${department}");
        assertThatThrownBy(() -> SessionScopeTemplate.parse("r", assumeRole(Map.of(), List.of(), "aws:admin")))
                .isInstanceOfSatisfying(ScopeConfigurationException.class, e -> assertThat(e.key()).isEqualTo("sourceIdentity"));
        assertThatThrownBy(() -> new RoleScope(List.of(), Map.of("a", "b"), List.of("c"), null))
                .hasMessageContaining("transitiveTags: 'c' is not one of the role's tags");
        assertThatThrownBy(() -> new RoleScope(java.util.stream.IntStream.range(0, 11)
                .mapToObj(i -> "arn:aws:iam::123456789012:policy/p" + i).toList(), Map.of(), List.of(), null))
                .hasMessageContaining("STS accepts at most 10");
        assertThatThrownBy(() -> new RoleScope(List.of(), Map.of("aws:team", "x"), List.of(), null))
                .hasMessageContaining("must not start with aws:");
    }

    @Test
    @DisplayName("durations are clamped to STS's bounds and to the 1-hour role-chaining limit, and a learned maximum sticks")
    void sessionDurations() {
        SessionDurations durations = new SessionDurations();

        assertThat(durations.choose(ROLE, Duration.ofMinutes(5), false)).isEqualTo(Duration.ofMinutes(15));
        assertThat(durations.choose(ROLE, Duration.ofHours(13), false)).isEqualTo(Duration.ofHours(12));
        assertThat(durations.choose(ROLE, Duration.ofHours(4), true)).isEqualTo(Duration.ofHours(1));
        durations.learn(ROLE, Duration.ofHours(1));
        assertThat(durations.choose(ROLE, Duration.ofHours(4), false)).isEqualTo(Duration.ofHours(1));
        assertThat(durations.choose("arn:aws:iam::123456789012:role/other", Duration.ofHours(4), false)).isEqualTo(Duration.ofHours(4));
    }
}
