package io.github.awsdelegation.cdi.it.app;

import io.github.awsdelegation.cdi.CurrentDelegation;
import io.github.awsdelegation.cdi.ExecuteApiClient;
import io.github.awsdelegation.cdi.ExecuteApiResponse;
import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;

/** Calls the API Gateway stage named by the context parameter it.api.url with the injected client. */
@WebServlet("/api")
public class ApiServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Inject
    transient ExecuteApiClient api;

    @Inject
    transient CurrentDelegation current;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        URI stage = URI.create(getServletContext().getInitParameter("it.api.url"));
        ExecuteApiResponse got = api.get(stage);
        ExecuteApiResponse posted = api.postJson(stage, "{\"pet\":\"Tom\"}");
        new Lines()
                .put("getStatus", got.statusCode())
                .put("getBody", got.bodyAsString())
                .put("postStatus", posted.statusCode())
                .put("postBody", posted.bodyAsString())
                .put("accessKeyId", current.credentials().accessKeyId())
                .write(response);
    }
}
