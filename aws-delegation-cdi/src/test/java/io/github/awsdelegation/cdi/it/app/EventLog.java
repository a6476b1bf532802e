package io.github.awsdelegation.cdi.it.app;

import io.github.awsdelegation.DelegationEvent;
import io.github.awsdelegation.cdi.Decided;
import io.github.awsdelegation.cdi.Denied;
import io.github.awsdelegation.cdi.Failed;
import io.github.awsdelegation.cdi.Issued;
import io.github.awsdelegation.cdi.Refreshed;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Audits as an app would: one observer per kind of event, and one that counts them all. */
@ApplicationScoped
public class EventLog {

    /** An event as observed, with the qualifier its observer asked for ({@code any} for the unqualified one). */
    public record Seen(String observer, DelegationEvent event) {
    }

    private final List<Seen> seen = new CopyOnWriteArrayList<>();

    void decided(@Observes @Decided DelegationEvent event) {
        seen.add(new Seen("Decided", event));
    }

    void issued(@Observes @Issued DelegationEvent event) {
        seen.add(new Seen("Issued", event));
    }

    void refreshed(@Observes @Refreshed DelegationEvent event) {
        seen.add(new Seen("Refreshed", event));
    }

    void denied(@Observes @Denied DelegationEvent event) {
        seen.add(new Seen("Denied", event));
    }

    void failed(@Observes @Failed DelegationEvent event) {
        seen.add(new Seen("Failed", event));
    }

    void any(@Observes DelegationEvent event) {
        seen.add(new Seen("any", event));
    }

    public List<Seen> of(String subject) {
        return seen.stream().filter(s -> s.event().subject().equals(subject)).toList();
    }
}
