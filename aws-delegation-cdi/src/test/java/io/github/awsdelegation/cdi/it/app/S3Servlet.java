package io.github.awsdelegation.cdi.it.app;

import io.github.awsdelegation.cdi.CurrentDelegation;
import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/** Calls S3 with the injected, request-scoped client: lists the user's folder and reads an object in it. */
@WebServlet({"/s3", "/public/s3"})
public class S3Servlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Inject
    transient S3Client s3;

    @Inject
    transient CurrentDelegation current;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        new Lines()
                .attempt("listed", () -> s3.listObjectsV2(b -> b.bucket("pet-shop").prefix(current.identity().subject() + "/"))
                        .contents().stream().map(S3Object::key).toList())
                .attempt("object", () -> s3.getObjectAsBytes(b -> b.bucket("pet-shop").key("pets/tom.json")).asUtf8String())
                .attempt("accessKeyId", () -> current.credentials().accessKeyId())
                .attempt("region", () -> current.region().id())
                .write(response);
    }
}
