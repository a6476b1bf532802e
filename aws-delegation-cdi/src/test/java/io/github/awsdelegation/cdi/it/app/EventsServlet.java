package io.github.awsdelegation.cdi.it.app;

import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** Lists the events observed about one subject ({@code ?subject=}), one per line: observer, then the event. */
@WebServlet("/public/events")
public class EventsServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Inject
    transient EventLog log;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Lines lines = new Lines();
        int n = 0;
        for (EventLog.Seen seen : log.of(request.getParameter("subject"))) {
            lines.put("event" + n++, seen.observer() + " " + seen.event());
        }
        lines.put("count", n).write(response);
    }
}
