package io.github.awsdelegation.testkit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;

/**
 * A user of the local identity provider: a database user (username and password, Auth0 connection
 * "Username-Password-Authentication") or a social user ("Continue with Amazon", no password here).
 *
 * @param subject the Auth0-shaped {@code sub}
 * @param connection the Auth0 connection name
 * @param loginName the username of a database user, the Amazon account id of a social user
 * @param password the password of a database user, null for a social user
 */
record UserAccount(String subject, String connection, String loginName, String password, String email, List<String> groups) {

    boolean isDatabaseUser() {
        return password != null;
    }

    /** Auth0 fills {@code name} with the email when no name is known. */
    String name() {
        return email;
    }

    /** Auth0's default nickname: the local part of the email. */
    String nickname() {
        int at = email.indexOf('@');
        return at > 0 ? email.substring(0, at) : email;
    }

    boolean passwordMatches(String offered) {
        return password != null && offered != null && MessageDigest.isEqual(
                password.getBytes(StandardCharsets.UTF_8), offered.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return "UserAccount[subject=" + subject + ", connection=" + connection + ", email=" + email + "]";
    }
}
