package io.github.awsdelegation.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The CLI's own files, {@code key = value} per line as auth0-login's were: the configuration
 * ({@code ~/.aws-delegation/config}) and the account aliases ({@code ~/.aws-delegation/aliases},
 * {@code alias = account-number}). Blank lines and lines starting with {@code #} or {@code ;} are skipped.
 */
final class KeyValueFile {

    private static final Pattern TRAILING_COMMENT = Pattern.compile("\\s+[#;]");

    private KeyValueFile() {
    }

    /** Reads a file; a file that does not exist is empty. */
    static Map<String, String> read(Path file) {
        String content;
        try {
            content = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return Map.of();
        } catch (IOException e) {
            throw new CliException("cannot read " + file + ": " + e.getMessage(), e);
        }
        return parse(file.toString(), content);
    }

    static Map<String, String> parse(String source, String content) {
        Map<String, String> values = new LinkedHashMap<>();
        String[] lines = content.split("\r?\n");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].trim();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
                continue;
            }
            int eq = line.indexOf('=');
            if (eq <= 0) {
                throw new CliException(source + " line " + (i + 1) + ": expected 'key = value'");
            }
            values.put(line.substring(0, eq).trim(), withoutComment(line.substring(eq + 1)).trim());
        }
        return values;
    }

    // A comment may follow a value after whitespace ("url = https://... # the app"); a '#' inside a value stays.
    private static String withoutComment(String value) {
        Matcher comment = TRAILING_COMMENT.matcher(value);
        return comment.find() ? value.substring(0, comment.start()) : value;
    }

    /**
     * Reads the alias file and returns account numbers to aliases (the reverse of the file's lines).
     *
     * @throws CliException when a value is not a 12-digit account number
     */
    static Map<String, String> accountAliases(String source, Map<String, String> aliasToAccount) {
        Map<String, String> byAccount = new LinkedHashMap<>();
        aliasToAccount.forEach((alias, account) -> {
            if (!account.matches("\\d{12}")) {
                throw new CliException(source + ": alias '" + alias + "' must name a 12-digit account number, not '" + account + "'");
            }
            byAccount.putIfAbsent(account, alias);
        });
        return byAccount;
    }
}
