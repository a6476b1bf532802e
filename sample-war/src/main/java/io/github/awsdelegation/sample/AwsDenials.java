package io.github.awsdelegation.sample;

import com.nimbusds.jose.util.JSONObjectUtils;
import io.github.awsdelegation.cdi.ExecuteApiResponse;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.text.ParseException;
import java.util.Map;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Turns AWS's refusals and failures into answers a user can read: what was denied, to which role, and why
 * (the role's permissions, or the session policy that narrows them). Never a stack trace; never a credential
 * (AWS's own messages name the assumed role, which is no secret).
 */
final class AwsDenials {

    private AwsDenials() {
    }

    /**
     * Answers a pets API (API Gateway) answer that was not a success.
     *
     * @param what what the user tried, e.g. "add a pet"
     * @param role the role name the request was signed with
     */
    static void petsApi(HttpServletResponse response, ExecuteApiResponse answer, String what, String role) throws IOException {
        int status = answer.statusCode();
        String said = awsMessage(answer.bodyAsString());
        if (status == 403) {
            Json.error(response, 403, "AccessDenied", "AWS denied this: your role " + role + " may not " + what
                    + " (API Gateway checks execute-api:Invoke against the role's policy)." + (said.isEmpty() ? "" : " AWS said: " + said),
                    "execute-api");
        } else if (status == 404 || status == 409 || status == 400) {
            Json.error(response, status, status == 409 ? "Conflict" : status == 404 ? "NotFound" : "BadRequest",
                    "The pets API could not " + what + (said.isEmpty() ? "." : ": " + said), "execute-api");
        } else {
            Json.error(response, 502, "PetsApiFailed", "The pets API answered " + status + " when asked to " + what
                    + (said.isEmpty() ? "." : ": " + said), "execute-api");
        }
    }

    /**
     * Answers an S3 refusal or failure.
     *
     * @param scoped whether the role's credentials carry the session policy that narrows them to the user's folder
     */
    static void s3(HttpServletResponse response, S3Exception e, String what, String role, boolean scoped, String folder)
            throws IOException {
        String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
        if (e.statusCode() == 403) {
            String why = scoped ? "The session policy the rules give role " + role + " lets them reach your own folder only, "
                    + folder + ", whatever the role itself allows" : "Role " + role + " does not allow it";
            Json.error(response, 403, code == null ? "AccessDenied" : code, "AWS denied this: your credentials may not " + what
                    + ". " + why + " (S3 said " + (code == null ? "403" : code) + ").", "s3");
        } else if (e.statusCode() == 404) {
            Json.error(response, 404, code == null ? "NotFound" : code, "There is no such file in your folder.", "s3");
        } else {
            Json.error(response, 502, code == null ? "S3Failed" : code, "S3 answered " + e.statusCode() + " when asked to " + what + ".", "s3");
        }
    }

    /** Answers an AWS service that could not be reached at all. */
    static void unreachable(HttpServletResponse response, String service, SdkClientException e) throws IOException {
        Json.error(response, 502, "Unreachable", "The shop could not reach " + service + ": " + e.getMessage(), service);
    }

    // API Gateway answers {"message": "..."} or {"Message": "..."}; the pets API {"message": "..."}.
    private static String awsMessage(String body) {
        try {
            Map<String, Object> json = JSONObjectUtils.parse(body);
            Object message = json.containsKey("message") ? json.get("message") : json.get("Message");
            return message instanceof String s ? s : "";
        } catch (ParseException e) {
            return "";
        }
    }
}
