package io.github.awsdelegation.testkit.internal;

import java.net.URI;
import java.util.Locale;

/** Tells whether a URI points at this machine's loopback interface, the only place the testkit talks to. */
public final class Loopback {

    private Loopback() {
    }

    /** Returns whether the host is {@code 127.0.0.1}, another 127/8 address, {@code localhost} or {@code [::1]}. */
    public static boolean isLoopbackHost(String host) {
        if (host == null) {
            return false;
        }
        String h = host.toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        return h.equals("localhost") || h.equals("::1") || h.matches("127(\\.(25[0-5]|2[0-4]\\d|1?\\d?\\d)){3}");
    }

    /** Returns whether the URI is absolute {@code http} or {@code https} on a loopback host. */
    public static boolean isLoopbackHttp(URI uri) {
        return uri != null && uri.isAbsolute() && uri.getScheme() != null
                && (uri.getScheme().equalsIgnoreCase("http") || uri.getScheme().equalsIgnoreCase("https"))
                && isLoopbackHost(uri.getHost());
    }
}
