package io.github.awsdelegation.interop;

import org.junit.jupiter.api.DisplayName;

/** The interop scenarios against the testkit's local STS and S3. */
@DisplayName("Scoped credentials against the testkit's local STS + S3")
class LocalS3InteropIT extends ScopedCredentialsContract {

    @Override
    InteropTarget startTarget() {
        return new LocalInteropTarget();
    }
}
