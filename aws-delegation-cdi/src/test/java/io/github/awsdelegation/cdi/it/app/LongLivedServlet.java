package io.github.awsdelegation.cdi.it.app;

import io.github.awsdelegation.cdi.CurrentDelegation;
import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** Reads an object with the app's long-lived client and tells which credentials this request has. */
@WebServlet("/longlived")
public class LongLivedServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Inject
    transient LongLivedS3 s3;

    @Inject
    transient CurrentDelegation current;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        new Lines()
                .put("accessKeyId", current.credentials().accessKeyId())
                .attempt("object", () -> s3.read("pets/tom.json"))
                .write(response);
    }
}
