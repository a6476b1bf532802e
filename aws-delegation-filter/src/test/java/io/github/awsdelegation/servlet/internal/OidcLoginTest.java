package io.github.awsdelegation.servlet.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class OidcLoginTest {

    @Test
    @DisplayName("after sign-in the browser only ever returns to a path of this app (no open redirect)")
    void safeReturnPath() {
        assertThat(OidcLogin.safeReturnPath("/pets?sort=name", "/")).isEqualTo("/pets?sort=name");
        for (String outside : new String[] {"https://evil.example.com/", "//evil.example.com/x", "/\\evil.example.com",
                "\\\\evil.example.com", "javascript:alert(1)", "pets", "/pets\r\nSet-Cookie: x=1", "/\u00e9", "", null}) {
            assertThat(OidcLogin.safeReturnPath(outside, "/home")).as(String.valueOf(outside)).isEqualTo("/home");
        }
    }
}
