package io.github.awsdelegation.interop;

import org.junit.jupiter.api.DisplayName;

/**
 * The interop scenarios against Ceph RGW, an independent STS + IAM + S3. Runs in the {@code ceph-rgw} Maven profile
 * (Ceph installed, build as root), which CI has; it starts its own loopback-only gateway (see docs/interop.md).
 */
@DisplayName("Scoped credentials against Ceph RGW")
class CephRgwInteropIT extends ScopedCredentialsContract {

    @Override
    InteropTarget startTarget() {
        return new CephRgwTarget();
    }
}
