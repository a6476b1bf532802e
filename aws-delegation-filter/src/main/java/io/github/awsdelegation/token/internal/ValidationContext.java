package io.github.awsdelegation.token.internal;

import com.nimbusds.jose.proc.SecurityContext;
import java.time.Instant;

/**
 * What one validation needs besides the token, passed through Nimbus's {@code DefaultJWTProcessor} to
 * the claims verifier: the instant every time check is made against (read once from the clock, so all
 * checks agree) and the nonce the client sent in the authentication request, if any.
 *
 * @param now           the current time
 * @param expectedNonce the nonce to match exactly, or {@code null} when none was sent
 */
public record ValidationContext(Instant now, String expectedNonce) implements SecurityContext {

    @Override
    public String toString() {
        // The nonce binds a token to a browser session: keep it out of logs.
        return "ValidationContext[now=" + now + ", nonceExpected=" + (expectedNonce != null) + "]";
    }
}
