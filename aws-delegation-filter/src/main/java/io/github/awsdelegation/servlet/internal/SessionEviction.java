package io.github.awsdelegation.servlet.internal;

import io.github.awsdelegation.DelegationEvent;
import io.github.awsdelegation.DelegationService;
import io.github.awsdelegation.EntryPoint;
import io.github.awsdelegation.token.VerifiedIdentity;
import jakarta.servlet.http.HttpSession;
import jakarta.servlet.http.HttpSessionBindingEvent;
import jakarta.servlet.http.HttpSessionBindingListener;
import java.io.Serializable;

/**
 * Kept in the HTTP session of a signed-in user: when the session ends (logout, timeout, invalidation) the
 * container unbinds it, and the user's cached credentials are dropped. It needs no listener
 * registration, so it works in every container. After the session is persisted and restored, or replicated to another
 * node of a cluster, it finds the node's service in the servlet context (the filter puts it there), so that the session
 * ending on any node drops the credentials; with a clustered store, on every node.
 */
final class SessionEviction implements HttpSessionBindingListener, Serializable {

    static final String ATTRIBUTE = SessionEviction.class.getName();

    private static final long serialVersionUID = 1L;

    private final transient DelegationService service;
    private final String issuer;
    private final String subject;
    private final String sessionId;
    // Set by the logout path before it invalidates the session: the eviction is then reported as a logout.
    private transient volatile boolean loggedOut;

    SessionEviction(DelegationService service, String issuer, String subject, String sessionId) {
        this.service = service;
        this.issuer = issuer;
        this.subject = subject;
        this.sessionId = sessionId;
    }

    boolean isFor(String issuer, String subject) {
        return this.issuer.equals(issuer) && this.subject.equals(subject);
    }

    /**
     * Binds the eviction of the user's credentials to the session, unless bound for this user already: replacing it
     * would unbind the old one and drop the credentials of the user signing in again.
     */
    static void bind(HttpSession session, DelegationService service, VerifiedIdentity identity) {
        String issuer = identity.issuer();
        String subject = identity.subject();
        try {
            if (!(session.getAttribute(ATTRIBUTE) instanceof SessionEviction existing) || !existing.isFor(issuer, subject)) {
                session.setAttribute(ATTRIBUTE, new SessionEviction(service, issuer, subject,
                        identity.claimAsString("sid").orElse(null)));
            }
        } catch (IllegalStateException invalidated) {
            // The session ended while the request ran; its credentials were evicted already.
        }
    }

    /** Marks the session's end, which follows, as the user's logout (for the audit trail). */
    static void loggingOut(HttpSession session) {
        try {
            if (session.getAttribute(ATTRIBUTE) instanceof SessionEviction eviction) {
                eviction.loggedOut = true;
            }
        } catch (IllegalStateException invalidated) {
            // Ended already.
        }
    }

    @Override
    public void valueUnbound(HttpSessionBindingEvent event) {
        DelegationService evicting = service;
        if (evicting == null) {
            // Restored or replicated: this node's service, which the filter keeps under AwsDelegationFilter.SERVICE_ATTRIBUTE.
            try {
                Object found = event.getSession().getServletContext().getAttribute(DelegationService.class.getName());
                evicting = found instanceof DelegationService s ? s : null;
            } catch (RuntimeException noContext) {
                evicting = null;
            }
        }
        if (evicting != null) {
            evicting.broker().evictUser(issuer, subject, sessionId, loggedOut ? DelegationEvent.EvictionCause.LOGOUT
                    : DelegationEvent.EvictionCause.SESSION_END, EntryPoint.LOGOUT);
        }
    }

    @Override
    public String toString() {
        return "SessionEviction[" + subject + "]";
    }
}
