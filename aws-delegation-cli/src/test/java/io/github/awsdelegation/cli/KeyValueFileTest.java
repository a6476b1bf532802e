package io.github.awsdelegation.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyValueFileTest {

    @Test
    void parse_skipsCommentsAndBlankLines_trimsAroundTheEqualsSign() {
        assertThat(KeyValueFile.parse("config", "# app\nurl = https://shop.example.com/app\n\n; x\nport=12300\n"))
                .containsExactly(java.util.Map.entry("url", "https://shop.example.com/app"), java.util.Map.entry("port", "12300"));
    }

    @Test
    void parse_dropsCommentsAfterValues_asDocsCliMdWritesThem() {
        assertThat(KeyValueFile.parse("config", """
                url = https://shop.example.com/app      # the app's context root (--url)
                port = 12200                            ; the loopback callback's port (--port)
                profile = team#1@pet-shop
                """)).containsExactly(java.util.Map.entry("url", "https://shop.example.com/app"),
                        java.util.Map.entry("port", "12200"), java.util.Map.entry("profile", "team#1@pet-shop"));
    }

    @Test
    void parse_lineWithoutEquals_namesTheLine() {
        assertThatThrownBy(() -> KeyValueFile.parse("aliases", "shop = 123456789012\nnonsense\n"))
                .isInstanceOf(CliException.class).hasMessage("aliases line 2: expected 'key = value'");
    }

    @Test
    void read_missingFile_isEmpty(@TempDir Path dir) {
        assertThat(KeyValueFile.read(dir.resolve("nope"))).isEmpty();
    }

    @Test
    void accountAliases_mapsAccountsToAliases_firstAliasWins() {
        assertThat(KeyValueFile.accountAliases("aliases", KeyValueFile.parse("aliases",
                "pet-shop = 123456789012\nshop = 123456789012\nlab = 210987654321\n")))
                .containsEntry("123456789012", "pet-shop").containsEntry("210987654321", "lab").hasSize(2);
    }

    @Test
    void accountAliases_valueNotAnAccount_isRefused() {
        assertThatThrownBy(() -> KeyValueFile.accountAliases("aliases", java.util.Map.of("shop", "12345")))
                .isInstanceOf(CliException.class).hasMessageContaining("alias 'shop' must name a 12-digit account number");
    }
}
