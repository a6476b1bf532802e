package io.github.awsdelegation.benchmarks;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.management.ObjectName;

/**
 * The live objects of this JVM by class, as {@code jcmd <pid> GC.class_histogram} prints them (a full collection
 * first), taken through the HotSpot diagnostic command MBean so that a harness can diff two of them in-process.
 */
final class HeapHistogram {

    record Row(String className, long instances, long bytes) {
    }

    private final Map<String, Row> rows;

    private HeapHistogram(Map<String, Row> rows) {
        this.rows = rows;
    }

    /** Takes the histogram of the live objects now. */
    static HeapHistogram take() {
        try {
            String text = (String) ManagementFactory.getPlatformMBeanServer().invoke(
                    new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                    new Object[] {new String[0]}, new String[] {String[].class.getName()});
            Map<String, Row> rows = new HashMap<>();
            // "   1:        100000       24000000  java.lang.String (java.base@17)"
            for (String line : text.split("\n")) {
                String[] f = line.trim().split("\\s+");
                if (f.length >= 4 && f[0].endsWith(":")) {
                    rows.merge(f[3], new Row(f[3], Long.parseLong(f[1]), Long.parseLong(f[2])),
                            (a, b) -> new Row(a.className(), a.instances() + b.instances(), a.bytes() + b.bytes()));
                }
            }
            return new HeapHistogram(rows);
        } catch (Exception e) {
            throw new IllegalStateException("no class histogram from this JVM (HotSpot's DiagnosticCommand MBean)", e);
        }
    }

    /** Returns what this histogram holds more than the earlier one, largest first, per user. */
    List<Row> minus(HeapHistogram before) {
        List<Row> diff = new ArrayList<>();
        rows.forEach((name, after) -> {
            Row b = before.rows.getOrDefault(name, new Row(name, 0, 0));
            if (after.bytes() != b.bytes()) {
                diff.add(new Row(name, after.instances() - b.instances(), after.bytes() - b.bytes()));
            }
        });
        diff.sort((x, y) -> Long.compare(y.bytes(), x.bytes()));
        return diff;
    }

    /** Formats a diff as a table per user: class, instances per user, bytes per user (rows above 0.5 byte per user). */
    static String table(List<Row> diff, int users) {
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "%-70s %10s %10s%n", "class", "per user", "bytes/user"));
        long total = 0;
        for (Row r : diff) {
            total += r.bytes();
            if (Math.abs((double) r.bytes() / users) >= 0.5) {
                out.append(String.format(Locale.ROOT, "%-70s %10.2f %10.1f%n", r.className(), (double) r.instances() / users,
                        (double) r.bytes() / users));
            }
        }
        out.append(String.format(Locale.ROOT, "%-70s %10s %10.1f%n", "total", "", (double) total / users));
        return out.toString();
    }
}
