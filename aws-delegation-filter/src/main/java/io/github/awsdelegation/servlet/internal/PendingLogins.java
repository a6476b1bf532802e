package io.github.awsdelegation.servlet.internal;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * The built-in login's logins in progress, kept by the browser: the pending login (state, nonce, PKCE verifier, return
 * path) travels in a short-lived cookie, encrypted and authenticated (AES-GCM, the cookie's name as associated data)
 * with the key {@link LoginKeys#cookieKey} gives (derived from {@code login.encryptionKey}, shared by the nodes of a
 * cluster, or made at start-up), scoped to the callback path, one per login in progress. No server state, so a forged
 * callback cannot cancel the real one.
 */
final class PendingLogins {

    /** How long a pending login (the way to the provider and back) may take: 10 minutes. */
    static final Duration PENDING_LOGIN_LIFETIME = Duration.ofMinutes(10);

    static final String PENDING_COOKIE_PREFIX = "awsd_login_";

    private static final int GCM_IV_BYTES = 12;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String callbackPath;
    private final Clock clock;
    private final SecretKey cookieKey;

    PendingLogins(String callbackPath, Clock clock, SecretKey cookieKey) {
        this.callbackPath = callbackPath;
        this.clock = clock;
        this.cookieKey = cookieKey;
    }

    /** Returns the cookie of a login that starts now. */
    Cookie start(HttpServletRequest request, String state, String nonce, String codeVerifier, String returnPath) {
        PendingLogin pending = new PendingLogin(state, nonce, codeVerifier, returnPath, clock.instant().plus(PENDING_LOGIN_LIFETIME));
        return cookie(request, state, seal(pending), (int) PENDING_LOGIN_LIFETIME.toSeconds());
    }

    /** Returns the cookie that removes a pending login, used once. */
    Cookie consumed(HttpServletRequest request, String state) {
        return cookie(request, state, "", 0);
    }

    // -------------------------------------------------------------------------------------

    private Cookie cookie(HttpServletRequest request, String state, String value, int maxAgeSeconds) {
        Cookie cookie = new Cookie(cookieName(state), value);
        cookie.setPath(request.getContextPath() + callbackPath);
        cookie.setHttpOnly(true);
        cookie.setSecure(request.isSecure());
        cookie.setMaxAge(maxAgeSeconds);
        cookie.setAttribute("SameSite", "Lax"); // sent on the provider's top-level redirect back to the callback
        return cookie;
    }

    // The state is URL-safe Base64 from Nimbus; anything else (a forged state) names no cookie.
    private static String cookieName(String state) {
        return PENDING_COOKIE_PREFIX + (state.matches("[A-Za-z0-9_-]{1,128}") ? state : "invalid");
    }

    /** Returns the pending login of this state from the browser's cookies, or {@code null} (unknown, expired, forged). */
    PendingLogin find(HttpServletRequest request, String state) {
        Cookie[] cookies = request.getCookies();
        if (cookies == null || !state.matches("[A-Za-z0-9_-]{1,128}")) {
            return null;
        }
        for (Cookie cookie : cookies) {
            if (cookie.getName().equals(cookieName(state))) {
                PendingLogin pending = open(cookie.getValue(), cookie.getName());
                if (pending != null && MessageDigest.isEqual(pending.state().getBytes(StandardCharsets.US_ASCII),
                        state.getBytes(StandardCharsets.US_ASCII)) && clock.instant().isBefore(pending.expiresAt())) {
                    return pending;
                }
            }
        }
        return null;
    }

    private String seal(PendingLogin pending) {
        try {
            byte[] iv = new byte[GCM_IV_BYTES];
            RANDOM.nextBytes(iv);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, cookieKey, new GCMParameterSpec(128, iv));
            cipher.updateAAD(cookieName(pending.state()).getBytes(StandardCharsets.US_ASCII));
            byte[] sealed = cipher.doFinal(pending.encode().getBytes(StandardCharsets.UTF_8));
            byte[] out = new byte[iv.length + sealed.length];
            System.arraycopy(iv, 0, out, 0, iv.length);
            System.arraycopy(sealed, 0, out, iv.length, sealed.length);
            return Base64.getUrlEncoder().withoutPadding().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot encrypt the pending login", e);
        }
    }

    private PendingLogin open(String value, String name) {
        try {
            byte[] in = Base64.getUrlDecoder().decode(value);
            if (in.length <= GCM_IV_BYTES + 16) {
                return null;
            }
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, cookieKey, new GCMParameterSpec(128, in, 0, GCM_IV_BYTES));
            cipher.updateAAD(name.getBytes(StandardCharsets.US_ASCII));
            byte[] plain = cipher.doFinal(in, GCM_IV_BYTES, in.length - GCM_IV_BYTES);
            return PendingLogin.decode(new String(plain, StandardCharsets.UTF_8));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return null; // tampered, from another start of the app, or not ours
        }
    }

    /** What the login keeps in its cookie between /login and /callback. */
    record PendingLogin(String state, String nonce, String codeVerifier, String returnPath, Instant expiresAt) {

        String encode() {
            return String.join("\n", state, nonce, codeVerifier, returnPath, Long.toString(expiresAt.getEpochSecond()));
        }

        static PendingLogin decode(String s) {
            String[] f = s.split("\n", -1);
            if (f.length != 5) {
                throw new IllegalArgumentException("not a pending login");
            }
            return new PendingLogin(f[0], f[1], f[2], f[3], Instant.ofEpochSecond(Long.parseLong(f[4])));
        }

        @Override
        public String toString() {
            return "PendingLogin[returnPath=" + returnPath + "]";
        }
    }

}
