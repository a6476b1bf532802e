package io.github.awsdelegation.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An AWS shared credentials file ({@code ~/.aws/credentials}) edited one section at a time: replacing a profile's
 * section keeps every other line, comments and section as they were, and its position in the file.
 */
final class IniFile {

    private final List<String> lines;

    private IniFile(List<String> lines) {
        this.lines = lines;
    }

    /** Parses a file's content ({@code ""} for a file that does not exist). */
    static IniFile parse(String content) {
        List<String> lines = new ArrayList<>(content.isEmpty() ? List.of() : List.of(content.split("\r?\n", -1)));
        if (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
            lines.remove(lines.size() - 1);
        }
        return new IniFile(lines);
    }

    /** Returns the keys and values of a section, or an empty map when there is none. */
    Map<String, String> section(String name) {
        Map<String, String> values = new LinkedHashMap<>();
        int start = find(name);
        if (start < 0) {
            return values;
        }
        for (int i = start + 1; i < lines.size() && !isHeader(lines.get(i)); i++) {
            String line = lines.get(i).trim();
            int eq = line.indexOf('=');
            if (eq > 0 && !line.startsWith("#") && !line.startsWith(";")) {
                values.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
            }
        }
        return values;
    }

    /** Replaces a section's content with {@code values} (in order), adding the section at the end when there is none. */
    IniFile withSection(String name, Map<String, String> values) {
        List<String> body = new ArrayList<>();
        body.add("[" + name + "]");
        values.forEach((k, v) -> body.add(k + " = " + v));
        List<String> out = new ArrayList<>(lines);
        int start = find(name);
        if (start < 0) {
            if (!out.isEmpty() && !out.get(out.size() - 1).isBlank()) {
                out.add("");
            }
            out.addAll(body);
        } else {
            int end = start + 1;
            while (end < out.size() && !isHeader(out.get(end))) {
                end++;
            }
            // Blank lines before the next section stay, separating the sections as before.
            int keep = end;
            while (keep > start + 1 && out.get(keep - 1).isBlank()) {
                keep--;
            }
            out.subList(start, keep).clear();
            out.addAll(start, body);
        }
        return new IniFile(out);
    }

    /** Returns the content, one line per line, ending with a newline. */
    String content() {
        return lines.isEmpty() ? "" : String.join("\n", lines) + "\n";
    }

    private int find(String name) {
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).trim();
            if (isHeader(line) && line.substring(1, line.indexOf(']')).trim().equals(name)) {
                return i;
            }
        }
        return -1;
    }

    private static boolean isHeader(String line) {
        String t = line.trim();
        return t.startsWith("[") && t.indexOf(']') > 0;
    }
}
