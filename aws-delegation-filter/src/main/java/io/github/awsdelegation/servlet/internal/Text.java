package io.github.awsdelegation.servlet.internal;

/** Escaping of values that may come from a request or a token, for the places answers put them. */
final class Text {

    private Text() {
    }

    /** Escapes text for HTML element content and quoted attributes. */
    static String html(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /** Escapes text for a JSON string; {@code <} and {@code >} too, so that no body reads as markup. */
    static String json(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '<' -> out.append("\\u003c");
                case '>' -> out.append("\\u003e");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }

    // RFC 6750 §3: error_description uses %x20-21 / %x23-5B / %x5D-7E only; kept short.
    static String headerSafe(String s) {
        StringBuilder out = new StringBuilder();
        for (char c : s.toCharArray()) {
            out.append(c >= 0x20 && c <= 0x7E && c != '"' && c != '\\' ? c : '?');
        }
        return out.length() > 300 ? out.substring(0, 300) : out.toString();
    }

    /** A value from the client, short and printable, for messages and logs. */
    static String printable(String value, int max) {
        String s = value.length() > max ? value.substring(0, max) + "..." : value;
        return s.replaceAll("[^\\x20-\\x7E]", "?");
    }
}
