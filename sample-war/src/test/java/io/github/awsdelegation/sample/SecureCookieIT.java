package io.github.awsdelegation.sample;

import java.io.File;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The sample behind https: with {@code PET_SHOP_BASE_URL} an https URL (as behind a TLS proxy), its session cookie
 * is {@code Secure} as well as {@code HttpOnly} and {@code SameSite=Lax}, so no browser sends it over plain http.
 * The embedded sample itself answers on http here, as behind a proxy that terminates TLS.
 */
class SecureCookieIT {

    static SampleLauncher.Running sample;

    @BeforeAll
    static void start() throws Exception {
        System.setProperty(SessionCookieSettings.BASE_URL, "https://shop.example.com/");
        sample = SampleLauncher.start(new File("target/sample-war"), 0);
    }

    @AfterAll
    static void stop() {
        System.clearProperty(SessionCookieSettings.BASE_URL);
        if (sample != null) {
            sample.close();
        }
    }

    @Test
    @DisplayName("with an https public URL the session cookie is Secure, HttpOnly and SameSite=Lax")
    void httpsBaseUrl_secureSessionCookie() throws Exception {
        SampleHardening.assertSessionCookie(SampleHardening.cookiesOfSignIn(sample.url()), true);
    }
}
