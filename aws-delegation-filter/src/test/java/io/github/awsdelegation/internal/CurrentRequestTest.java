package io.github.awsdelegation.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class CurrentRequestTest {

    @Test
    @DisplayName("a generated request id is a version 4 UUID of the IETF variant, and each one is new")
    void generate_versionFourUuids_distinct() {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            String id = CurrentRequest.generate();
            UUID uuid = UUID.fromString(id);
            assertThat(uuid.version()).isEqualTo(4);
            assertThat(uuid.variant()).isEqualTo(2);
            assertThat(uuid.toString()).isEqualTo(id);
            ids.add(id);
        }
        assertThat(ids).hasSize(10_000);
    }

    @Test
    @DisplayName("a client's safe request id is kept; one that could forge a log line is replaced by a generated one")
    void idFrom_safeKept_unsafeReplaced() {
        assertThat(CurrentRequest.idFrom("trace-4711")).isEqualTo("trace-4711");
        assertThat(UUID.fromString(CurrentRequest.idFrom("a\nforged")).version()).isEqualTo(4);
        assertThat(UUID.fromString(CurrentRequest.idFrom(null)).version()).isEqualTo(4);
    }

    @Test
    @DisplayName("a scope opened within a request keeps the outer id, and closing the outer one clears it")
    void open_nested_keepsOuterId() {
        try (var outer = CurrentRequest.open("outer")) {
            try (var inner = CurrentRequest.open("inner")) {
                assertThat(CurrentRequest.id()).isEqualTo("outer");
            }
            assertThat(CurrentRequest.id()).isEqualTo("outer");
        }
        assertThat(CurrentRequest.id()).isNull();
    }
}
