package io.github.awsdelegation.scope.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class RoleSessionNamesTest {

    private static final String STS_PATTERN = "[\\w+=,.@-]{2,64}";

    @Test
    @DisplayName("an identifier STS accepts as it is stays the session name")
    void of_validIdentifier_isUnchanged() {
        assertThat(RoleSessionNames.of("admin@example.com")).isEqualTo("admin@example.com");
        assertThat(RoleSessionNames.of("auth0-5f7c8ec7")).isEqualTo("auth0-5f7c8ec7");
        assertThat(RoleSessionNames.of("a".repeat(64))).isEqualTo("a".repeat(64));
    }

    @Test
    @DisplayName("a replaced character adds a hash of the whole identifier: a|b, a b and a-b get three names")
    void of_replacedCharacters_distinctNames() {
        String pipe = RoleSessionNames.of("a|b");
        String space = RoleSessionNames.of("a b");
        String dash = RoleSessionNames.of("a-b");

        assertThat(pipe).isEqualTo("a-b-" + sha256Hex("a|b").substring(0, 12));
        assertThat(space).isEqualTo("a-b-" + sha256Hex("a b").substring(0, 12));
        assertThat(dash).isEqualTo("a-b");
        assertThat(List.of(pipe, space, dash)).doesNotHaveDuplicates().allMatch(n -> n.matches(STS_PATTERN));
        assertThat(RoleSessionNames.of("auth0|5f7c8ec7")).startsWith("auth0-5f7c8ec7-").hasSize(14 + 13);
    }

    @Test
    @DisplayName("an identifier spelling another's changed name cannot take it")
    void of_identifierLookingLikeAChangedName_getsItsOwnSuffix() {
        String changed = RoleSessionNames.of("a|b");

        assertThat(RoleSessionNames.of(changed)).isNotEqualTo(changed).matches(STS_PATTERN);
    }

    @Test
    @DisplayName("too short or too long identifiers are padded or cut, within 64 characters, and stay distinct")
    void of_lengthAdjusted_distinctWithinLimit() {
        assertThat(RoleSessionNames.of("x")).matches(STS_PATTERN).isNotEqualTo(RoleSessionNames.of("x-"));
        assertThat(RoleSessionNames.of("")).matches(STS_PATTERN);
        String a = RoleSessionNames.of("waad|" + "a".repeat(100) + "1");
        String b = RoleSessionNames.of("waad|" + "a".repeat(100) + "2");
        String longClean = RoleSessionNames.of("a".repeat(65));
        assertThat(List.of(a, b, longClean)).allMatch(n -> n.length() == 64 && n.matches(STS_PATTERN)).doesNotHaveDuplicates();
        assertThat(RoleSessionNames.of("ünï cødé")).matches(STS_PATTERN);
    }

    @Test
    @DisplayName("many look-alike identifiers map to as many names")
    void of_lookAlikes_oneToOne() {
        List<String> ids = List.of("auth0|42", "auth0 42", "auth0-42", "auth0/42", "auth0:42", "auth0#42", "auth0é42",
                "auth0||42", "auth0--42", "auth0|-42", "auth0-|42");

        assertThat(ids.stream().map(RoleSessionNames::of).collect(Collectors.toSet())).hasSize(ids.size());
    }

    private static String sha256Hex(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
