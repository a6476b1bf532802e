package io.github.awsdelegation.plan;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A SHA-256 over named fields in a canonical, unambiguous encoding: each field is its name and a typed value, every
 * string length-prefixed, maps in key order, so that no two different sets of fields share an encoding ({@code a|bc}
 * and {@code ab|c}, {@code null} and the empty string, a list and a string all differ). Never built from
 * {@code toString()}, whose output no one promises to keep apart.
 *
 * <p>Values are strings, numbers, booleans, {@code null}, lists and maps of these (as parsed JSON claims are). Not
 * thread-safe; one fingerprint per key.
 */
final class SessionFingerprint {

    private static final byte NULL = 0;
    private static final byte STRING = 1;
    private static final byte LIST = 2;
    private static final byte MAP = 3;
    private static final byte NUMBER = 4;
    private static final byte BOOLEAN = 5;

    private final MessageDigest sha256;

    private SessionFingerprint() {
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }

    /** Starts an empty fingerprint. */
    static SessionFingerprint start() {
        return new SessionFingerprint();
    }

    /**
     * Adds a field.
     *
     * @param name  what the value is, e.g. {@code sessionPolicy}
     * @param value a string, number, boolean, {@code null}, or a list or map of these
     * @throws IllegalArgumentException for any other type of value
     */
    public SessionFingerprint add(String name, Object value) {
        string(name);
        value(value);
        return this;
    }

    /** Adds a map field whose entries are in key order whatever the map's own order (e.g. session tags). */
    public SessionFingerprint addSorted(String name, Map<String, ?> value) {
        return add(name, value == null ? null : new TreeMap<>(value));
    }

    /** Adds a list field whose order does not matter (e.g. managed policy ARNs). */
    public SessionFingerprint addUnordered(String name, Collection<String> value) {
        return add(name, value == null ? null : value.stream().sorted().toList());
    }

    /** Returns the SHA-256 of the fields added, in hex; the fingerprint is used up. */
    public String hex() {
        return HexFormat.of().formatHex(sha256.digest());
    }

    private void value(Object value) {
        if (value == null) {
            sha256.update(NULL);
        } else if (value instanceof String s) {
            sha256.update(STRING);
            string(s);
        } else if (value instanceof Boolean b) {
            sha256.update(BOOLEAN);
            sha256.update((byte) (b ? 1 : 0));
        } else if (value instanceof Number n) {
            sha256.update(NUMBER);
            string(n.toString());
        } else if (value instanceof Collection<?> c) {
            List<?> items = new ArrayList<>(c);
            sha256.update(LIST);
            length(items.size());
            items.forEach(this::value);
        } else if (value instanceof Map<?, ?> m) {
            // Claims are JSON objects: their keys are strings, and their order carries no meaning.
            TreeMap<String, Object> sorted = new TreeMap<>();
            m.forEach((k, v) -> sorted.put(String.valueOf(k), v));
            sha256.update(MAP);
            length(sorted.size());
            sorted.forEach((k, v) -> {
                string(k);
                value(v);
            });
        } else {
            throw new IllegalArgumentException("cannot fingerprint a " + value.getClass().getName());
        }
    }

    private void string(String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        length(bytes.length);
        sha256.update(bytes);
    }

    private void length(int n) {
        sha256.update(ByteBuffer.allocate(4).putInt(n).array());
    }
}
