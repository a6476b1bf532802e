package io.github.awsdelegation.audit;

import com.nimbusds.jose.util.JSONObjectUtils;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The lines the real {@value AuditTrail#LOGGER} logger writes while it is open: the tests' SLF4J binding (slf4j-simple)
 * writes to {@code System.err}, which this tees into a buffer, so tests read the records exactly as an operator would.
 */
public final class CapturedAuditLog implements AutoCloseable {

    private static final String MARKER = " " + AuditTrail.LOGGER + " - ";

    private final PrintStream original = System.err;
    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();

    private CapturedAuditLog() {
        OutputStream tee = new OutputStream() {
            @Override
            public synchronized void write(int b) {
                original.write(b);
                captured.write(b);
            }

            @Override
            public synchronized void write(byte[] b, int off, int len) {
                original.write(b, off, len);
                captured.write(b, off, len);
            }
        };
        System.setErr(new PrintStream(tee, true, StandardCharsets.UTF_8));
    }

    /** Starts capturing. */
    public static CapturedAuditLog start() {
        return new CapturedAuditLog();
    }

    /** Returns the audit lines written so far, each the whole log line. */
    public synchronized List<String> lines() {
        System.err.flush();
        List<String> lines = new ArrayList<>();
        for (String line : captured.toString(StandardCharsets.UTF_8).split("\n", -1)) {
            if (line.contains(MARKER)) {
                lines.add(line);
            }
        }
        return lines;
    }

    /** Returns the audit records written so far, each parsed from its line's JSON. */
    public List<Map<String, Object>> records() {
        List<Map<String, Object>> records = new ArrayList<>();
        for (String line : lines()) {
            try {
                records.add(JSONObjectUtils.parse(line.substring(line.indexOf(MARKER) + MARKER.length())));
            } catch (ParseException e) {
                throw new AssertionError("not a JSON audit record: " + line, e);
            }
        }
        return records;
    }

    /** Returns the records of one event type. */
    public List<Map<String, Object>> records(String type) {
        return records().stream().filter(r -> type.equals(r.get("type"))).toList();
    }

    /** Forgets what was captured so far. */
    public synchronized void clear() {
        captured.reset();
    }

    @Override
    public void close() {
        System.setErr(original);
    }
}
