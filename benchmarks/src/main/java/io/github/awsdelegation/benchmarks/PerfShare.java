package io.github.awsdelegation.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads {@code perf script -F comm,ip,sym} of a whole-machine recording (standard input) taken while wrk drives the
 * servlet behind the filter, and prints the filter's share of all the machine's CPU: the samples whose stack passes
 * through {@code AwsDelegationFilter} but not on into the servlet behind it, by the module's outermost method below the
 * filter and by the method at the top of the stack (the JIT's, once inlined). The rest of the machine — the kernel's
 * network stack, Tomcat, wrk — is the denominator, so the share is what the throughput ratio can lose to the filter's
 * own work: a share of 3 % allows a ratio of about 0.97. {@code benchmarks/profile-http.sh} records and runs it.
 */
public final class PerfShare {

    private static final Pattern METHOD = Pattern.compile("([\\w$]+\\.[\\w$<>]+)\\(");

    // Frames of the chain past the filter and of the servlet (the JIT may inline the filter's call into them, so the
    // filter's own frame can be below them): HttpLoad's servlet, the container's filter chain and servlet dispatch, and
    // the response body's writer.
    private static final Pattern BEHIND_THE_FILTER = Pattern.compile(
            "HttpLoad\\$Hello|AwsDelegationFilter\\.proceed|ApplicationFilterChain|HttpServlet\\.|CoyoteWriter|OutputBuffer");

    private PerfShare() {
    }

    public static void main(String[] args) throws IOException {
        int samples = 0;
        int inFilter = 0;
        Map<String, Integer> byStage = new HashMap<>();
        Map<String, Integer> byTop = new HashMap<>();
        Map<String, Integer> byProcess = new HashMap<>();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        List<String> sample = new ArrayList<>();
        for (String line = in.readLine(); ; line = in.readLine()) {
            if (line == null || line.isBlank()) {
                if (!sample.isEmpty()) {
                    samples++;
                    byProcess.merge(sample.get(0).strip().split("\\s+")[0], 1, Integer::sum);
                    if (count(sample.subList(1, sample.size()), byStage, byTop)) {
                        inFilter++;
                    }
                    sample.clear();
                }
                if (line == null) {
                    break;
                }
                continue;
            }
            sample.add(line);
        }
        if (samples == 0) {
            System.out.println("no samples: was perf recording while the load ran?");
            return;
        }
        System.out.printf(Locale.ROOT, "%d samples of the whole machine; the filter's own work: %.2f %%%n", samples,
                100.0 * inFilter / samples);
        print("by process", byProcess, samples, 5);
        print("in the filter, by the module's outermost method below it", byStage, samples, 12);
        print("in the filter, by the method at the top of the stack", byTop, samples, 25);
    }

    // Frames are listed top of the stack first.
    private static boolean count(List<String> frames, Map<String, Integer> byStage, Map<String, Integer> byTop) {
        int filter = -1;
        for (int i = 0; i < frames.size(); i++) {
            if (frames.get(i).contains("AwsDelegationFilter.")) {
                filter = i;
            }
        }
        if (filter < 0) {
            return false;
        }
        for (int i = 0; i < filter; i++) {
            if (BEHIND_THE_FILTER.matcher(frames.get(i)).find()) {
                return false; // the chain on to the servlet, and the servlet's work: the app's, as without the filter
            }
        }
        String stage = "(the filter's own lines, and what the JIT inlined into them)";
        for (int i = filter - 1; i >= 0; i--) {
            String frame = frames.get(i);
            if (frame.contains("io.github.awsdelegation.") && !frame.contains("AwsDelegationFilter.")) {
                stage = method(frame);
                break;
            }
        }
        byStage.merge(stage, 1, Integer::sum);
        byTop.merge(method(frames.get(0)), 1, Integer::sum);
        return true;
    }

    private static String method(String frame) {
        Matcher m = METHOD.matcher(frame);
        return m.find() ? m.group(1) : frame.strip().replaceFirst("^[0-9a-f]+\\s+", "");
    }

    private static void print(String title, Map<String, Integer> counts, int samples, int limit) {
        System.out.println(title + ":");
        counts.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(limit)
                .forEach(e -> System.out.printf(Locale.ROOT, "  %6.2f %%  %s%n", 100.0 * e.getValue() / samples, e.getKey()));
    }
}
