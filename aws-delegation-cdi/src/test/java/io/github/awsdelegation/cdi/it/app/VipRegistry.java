package io.github.awsdelegation.cdi.it.app;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;

/** The app's own knowledge of its VIP customers, which a rule bean consults. */
@ApplicationScoped
public class VipRegistry {

    private final Set<String> vips = Set.of("amazon|vip-customer");

    public boolean isVip(String subject) {
        return vips.contains(subject);
    }
}
