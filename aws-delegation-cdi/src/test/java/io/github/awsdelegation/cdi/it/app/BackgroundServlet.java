package io.github.awsdelegation.cdi.it.app;

import io.github.awsdelegation.cdi.CurrentDelegation;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicReference;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;

/** Uses the beans from a thread of its own, outside any HTTP request, while a covered request waits for it. */
@WebServlet("/inject/background")
public class BackgroundServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Inject
    transient CurrentDelegation current;

    @Inject
    transient AwsCredentialsProvider currentUser;

    @Inject
    transient Instance<AwsSessionCredentials> credentials;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        AtomicReference<Lines> result = new AtomicReference<>();
        Thread worker = new Thread(() -> result.set(new Lines()
                .attempt("provider", () -> currentUser.resolveCredentials().accessKeyId())
                .attempt("current", () -> current.get())
                .attempt("credentials", () -> credentials.get().accessKeyId())
                .attempt("present", () -> current.isPresent())), "background-work");
        worker.start();
        try {
            worker.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        result.get().put("inRequest", current.identity().subject()).write(response);
    }
}
