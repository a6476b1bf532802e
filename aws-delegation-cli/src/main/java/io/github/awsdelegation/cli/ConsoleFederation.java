package io.github.awsdelegation.cli;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The AWS console for temporary credentials, through the partition's federation endpoint: {@code getSigninToken}
 * with the session, then the {@code login} URL the browser opens ("Enabling custom identity broker access to the AWS
 * console", IAM User Guide).
 */
final class ConsoleFederation {

    private static final Pattern TOKEN = Pattern.compile("\"SigninToken\"\\s*:\\s*\"([^\"]+)\"");

    private ConsoleFederation() {
    }

    /** Returns the sign-in URL: opening it signs the browser in to the console as the role. */
    static URI signInUrl(Credentials credentials, URI federation, URI destination, String issuer) {
        String session = "{\"sessionId\":\"" + credentials.accessKeyId() + "\",\"sessionKey\":\"" + credentials.secretAccessKey()
                + "\",\"sessionToken\":\"" + credentials.sessionToken() + "\"}";
        URI tokenUri = URI.create(federation + "?Action=getSigninToken&Session=" + enc(session));
        HttpResponse<String> response;
        try {
            response = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build()
                    .send(HttpRequest.newBuilder(tokenUri).timeout(Duration.ofSeconds(30)).GET().build(),
                            HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new CliException("the AWS federation endpoint " + federation + " cannot be reached: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted while calling " + federation, e);
        }
        Matcher token = TOKEN.matcher(response.body());
        if (response.statusCode() != 200 || !token.find()) {
            throw new CliException("the AWS federation endpoint " + federation + " refused the session (HTTP "
                    + response.statusCode() + ")");
        }
        return URI.create(federation + "?Action=login&Issuer=" + enc(issuer) + "&Destination=" + enc(destination.toString())
                + "&SigninToken=" + enc(token.group(1)));
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
