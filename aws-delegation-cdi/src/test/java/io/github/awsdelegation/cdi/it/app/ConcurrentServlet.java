package io.github.awsdelegation.cdi.it.app;

import io.github.awsdelegation.cdi.CurrentDelegation;
import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/**
 * Two requests meet here: each reads its user's credentials, waits until the other request has arrived, and
 * reads them again through every way there is. They run at the same time in the container, on two threads.
 */
@WebServlet("/concurrent")
public class ConcurrentServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    private static final CyclicBarrier PAIR = new CyclicBarrier(2);

    @Inject
    transient UserReport report;

    @Inject
    transient AwsCredentialsProvider currentUser;

    @Inject
    transient CurrentDelegation current;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String before = report.accessKeyId();
        boolean met;
        try {
            PAIR.await(10, TimeUnit.SECONDS);
            met = true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            met = false;
        } catch (BrokenBarrierException | TimeoutException e) {
            PAIR.reset();
            met = false;
        }
        new Lines()
                .put("met", met)
                .put("subject", current.identity().subject())
                .put("before", before)
                .put("bean", report.accessKeyId())
                .put("provider", currentUser.resolveCredentials().accessKeyId())
                .put("current", current.credentials().accessKeyId())
                .write(response);
    }
}
