package io.github.awsdelegation.sample;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The answer to anything the shop did not expect ({@code web.xml}'s error pages): a short JSON error, never the
 * container's page with a stack trace. The exception goes to the server log, where an operator can read it.
 */
@WebServlet("/error")
public class ErrorPage extends HttpServlet {

    private static final Logger LOG = LoggerFactory.getLogger(ErrorPage.class);

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Object status = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        if (!(status instanceof Integer code)) {
            Json.error(response, 404, "NotFound", "No such page", null);
            return;
        }
        if (request.getAttribute(RequestDispatcher.ERROR_EXCEPTION) instanceof Throwable failure) {
            LOG.error("The shop failed to answer {}", oneLine(request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI)), failure);
        }
        Json.error(response, code, code >= 500 ? "InternalError" : "Error",
                code >= 500 ? "The shop could not answer this request; the server log says why." : "The request could not be answered.", null);
    }

    // The URI comes from the client: no CR/LF (or other control character) may start a forged log line.
    private static String oneLine(Object uri) {
        return String.valueOf(uri).replaceAll("\\p{Cntrl}|[\\u2028\\u2029]", "?");
    }
}
