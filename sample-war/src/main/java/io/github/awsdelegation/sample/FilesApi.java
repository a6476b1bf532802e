package io.github.awsdelegation.sample;

import io.github.awsdelegation.cdi.CurrentDelegation;
import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * "My files": the user's own folder of the bucket, {@code <bucket>/<subject>/}, through the injected {@link S3Client},
 * which holds the user's credentials. The role alone may allow more (the admin role allows the whole bucket); the
 * session policy in {@code aws-delegation.yaml} narrows every user's credentials to their own folder, and
 * {@code GET api/folders/<subject>} shows AWS refusing anyone else's.
 * <ul>
 *   <li>{@code GET api/files} lists the folder; {@code PUT api/files/<name>} uploads (the body, up to 5 MB);</li>
 *   <li>{@code GET api/files/<name>} downloads; {@code DELETE api/files/<name>} deletes;</li>
 *   <li>{@code GET api/folders/<subject>} lists another user's folder, which the scoping denies.</li>
 * </ul>
 */
@WebServlet(urlPatterns = {"/api/files", "/api/files/*", "/api/folders/*"})
public class FilesApi extends HttpServlet {

    /** The largest file the sample takes. */
    static final int MAX_FILE = 5 * 1024 * 1024;

    @Inject
    S3Client s3;

    @Inject
    CurrentDelegation aws;

    @Inject
    ShopSettings settings;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (request.getServletPath().equals("/api/folders")) {
            String subject = request.getPathInfo() == null ? "" : request.getPathInfo().substring(1);
            if (subject.endsWith("/")) {
                subject = subject.substring(0, subject.length() - 1);
            }
            if (subject.isEmpty() || subject.length() > 255 || subject.contains("/") || hasControlCharacter(subject)) {
                Json.error(response, 400, "BadRequest", "Name a user's subject: api/folders/<subject>", null);
                return;
            }
            list(response, subject + "/", "list the folder " + settings.bucket() + "/" + subject + "/");
            return;
        }
        String name = name(request, response);
        if (name == null) {
            return;
        }
        if (name.isEmpty()) {
            list(response, folder(), "list your folder");
            return;
        }
        try (ResponseInputStream<GetObjectResponse> file = s3.getObject(b -> b.bucket(settings.bucket()).key(folder() + name))) {
            response.setContentType("application/octet-stream");
            response.setHeader("Content-Disposition", "attachment; filename*=UTF-8''"
                    + URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20"));
            response.setHeader("X-Content-Type-Options", "nosniff");
            response.setHeader("Cache-Control", "no-store");
            if (file.response().contentLength() != null) {
                response.setContentLengthLong(file.response().contentLength());
            }
            file.transferTo(response.getOutputStream());
        } catch (S3Exception e) {
            AwsDenials.s3(response, e, "read " + name, role(), scoped(), settings.bucket() + "/" + folder());
        } catch (SdkClientException e) {
            AwsDenials.unreachable(response, "S3", e);
        }
    }

    @Override
    protected void doPut(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String name = name(request, response);
        if (name == null) {
            return;
        }
        if (name.isEmpty() || request.getServletPath().equals("/api/folders")) {
            Json.error(response, 405, "MethodNotAllowed", "Upload with PUT api/files/<name>", null);
            return;
        }
        byte[] body;
        try (InputStream in = request.getInputStream()) {
            body = in.readNBytes(MAX_FILE + 1);
        }
        if (body.length > MAX_FILE) {
            Json.error(response, 413, "TooLarge", "The sample takes files of up to 5 MB", null);
            return;
        }
        String type = request.getContentType() == null ? "application/octet-stream" : request.getContentType();
        try {
            s3.putObject(b -> b.bucket(settings.bucket()).key(folder() + name).contentType(type), RequestBody.fromBytes(body));
        } catch (S3Exception e) {
            AwsDenials.s3(response, e, "write " + name, role(), scoped(), settings.bucket() + "/" + folder());
            return;
        } catch (SdkClientException e) {
            AwsDenials.unreachable(response, "S3", e);
            return;
        }
        Map<String, Object> file = new LinkedHashMap<>();
        file.put("name", name);
        file.put("size", body.length);
        Json.write(response, 201, file);
    }

    @Override
    protected void doDelete(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String name = name(request, response);
        if (name == null) {
            return;
        }
        if (name.isEmpty() || request.getServletPath().equals("/api/folders")) {
            Json.error(response, 405, "MethodNotAllowed", "Delete with DELETE api/files/<name>", null);
            return;
        }
        try {
            s3.deleteObject(b -> b.bucket(settings.bucket()).key(folder() + name));
            response.setStatus(204);
        } catch (S3Exception e) {
            AwsDenials.s3(response, e, "delete " + name, role(), scoped(), settings.bucket() + "/" + folder());
        } catch (SdkClientException e) {
            AwsDenials.unreachable(response, "S3", e);
        }
    }

    private void list(HttpServletResponse response, String prefix, String what) throws IOException {
        ListObjectsV2Response listing;
        try {
            listing = s3.listObjectsV2(b -> b.bucket(settings.bucket()).prefix(prefix));
        } catch (S3Exception e) {
            AwsDenials.s3(response, e, what, role(), scoped(), settings.bucket() + "/" + folder());
            return;
        } catch (SdkClientException e) {
            AwsDenials.unreachable(response, "S3", e);
            return;
        }
        List<Map<String, Object>> files = listing.contents().stream().map(object -> {
            Map<String, Object> file = new LinkedHashMap<>();
            file.put("name", object.key().substring(prefix.length()));
            file.put("size", object.size());
            file.put("lastModified", object.lastModified() == null ? null : object.lastModified().toString());
            return file;
        }).toList();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("bucket", settings.bucket());
        body.put("folder", settings.bucket() + "/" + prefix);
        body.put("files", files);
        Json.write(response, 200, body);
    }

    // The file name from api/files/<name>: "" for the folder itself, null (answered 400) when it is not a plain name.
    private static String name(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getPathInfo();
        if (path == null || path.equals("/")) {
            return "";
        }
        String name = path.substring(1);
        if (name.length() > 200 || name.contains("/") || name.equals(".") || name.equals("..") || hasControlCharacter(name)) {
            Json.error(response, 400, "BadRequest", "A file name is 1-200 characters, without '/' or control characters", null);
            return null;
        }
        return name;
    }

    private static boolean hasControlCharacter(String s) {
        return s.chars().anyMatch(c -> c < 0x20 || c == 0x7f);
    }

    private String folder() {
        return aws.identity().subject() + "/";
    }

    private String role() {
        return aws.decision().role().roleName();
    }

    private boolean scoped() {
        return aws.decision().role().sessionPolicy() != null;
    }
}
