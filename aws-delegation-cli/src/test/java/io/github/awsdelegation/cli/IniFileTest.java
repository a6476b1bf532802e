package io.github.awsdelegation.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IniFileTest {

    static Map<String, String> keys(String id) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("aws_access_key_id", id);
        m.put("aws_secret_access_key", "secret-" + id);
        return m;
    }

    @Test
    void withSection_emptyFile_addsTheSection() {
        assertThat(IniFile.parse("").withSection("Admin@shop", keys("A")).content())
                .isEqualTo("[Admin@shop]\naws_access_key_id = A\naws_secret_access_key = secret-A\n");
    }

    @Test
    void withSection_existingProfile_replacesOnlyIt_keepingOthersCommentsAndOrder() {
        String before = """
                # my keys
                [default]
                aws_access_key_id = D

                [Admin@shop]
                aws_access_key_id = OLD
                aws_session_token = OLD-TOKEN

                [other]
                ; a comment
                aws_access_key_id = O
                """;

        String after = IniFile.parse(before).withSection("Admin@shop", keys("NEW")).content();

        assertThat(after).isEqualTo("""
                # my keys
                [default]
                aws_access_key_id = D

                [Admin@shop]
                aws_access_key_id = NEW
                aws_secret_access_key = secret-NEW

                [other]
                ; a comment
                aws_access_key_id = O
                """);
    }

    @Test
    void withSection_newProfile_isAppendedAfterABlankLine() {
        String after = IniFile.parse("[default]\nregion = eu-west-1\n").withSection("B@1", keys("B")).content();

        assertThat(after).isEqualTo("[default]\nregion = eu-west-1\n\n[B@1]\naws_access_key_id = B\naws_secret_access_key = secret-B\n");
        assertThat(IniFile.parse(after).section("default")).containsExactly(Map.entry("region", "eu-west-1"));
    }

    @Test
    void withSection_lastSection_isReplacedToTheEnd() {
        String after = IniFile.parse("[a]\nx = 1\n[b]\ny = 2\nz = 3\n").withSection("b", Map.of("y", "9")).content();

        assertThat(after).isEqualTo("[a]\nx = 1\n[b]\ny = 9\n");
    }
}
