package io.github.awsdelegation.cdi.it;

import static io.github.awsdelegation.cdi.support.Http.as;
import static io.github.awsdelegation.cdi.support.Http.get;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.awsdelegation.cdi.support.CdiEnvironment;
import io.github.awsdelegation.cdi.support.TestWar;
import java.net.URL;
import java.net.http.HttpResponse;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code @RequiresAwsRole} on bean methods and classes: who may call, and what a refused user sees. */
@ExtendWith(ArquillianExtension.class)
class RequiresAwsRoleIT {

    final CdiEnvironment environment = CdiEnvironment.get();
    final String admin = environment.adminUser("interceptor-admin");
    final String buyer = environment.socialUser("interceptor-buyer");

    @ArquillianResource
    URL base;

    @Deployment(testable = false)
    static WebArchive war() {
        return TestWar.create();
    }

    @Test
    @DisplayName("a user with the required role may call the method")
    void allowed() {
        HttpResponse<String> response = as(admin, base, "/shop?op=remove");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("result=removed Tom\n");
    }

    @Test
    @DisplayName("a user without it gets the filter's own 403, with the operation, the role required and the user's role")
    void denied() {
        HttpResponse<String> refused = as(buyer, base, "/shop?op=remove");
        HttpResponse<String> filtersOwn = as(buyer, base, "/shop?op=list", "X-AWS-Role", "pet-shop-admin");

        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.body()).isEqualTo("{\"status\":403,\"error\":\"access_denied\",\"message\":\"role 'pet-shop-admin' "
                + "is required to call PetCatalogue.removePet; this request has role 'arn:aws:iam::123456789012:role/pet-shop-buyer' "
                + "(rule 'social-buyers')\"}");
        assertThat(filtersOwn.statusCode()).isEqualTo(403);
        assertThat(refused.headers().firstValue("Content-Type")).isEqualTo(filtersOwn.headers().firstValue("Content-Type"));
        assertThat(refused.headers().firstValue("Cache-Control")).isEqualTo(filtersOwn.headers().firstValue("Cache-Control"));
        assertThat(filtersOwn.body()).startsWith("{\"status\":403,\"error\":\"access_denied\",\"message\":");
    }

    @Test
    @DisplayName("a browser is refused with the filter's HTML page")
    void denied_browser() {
        HttpResponse<String> refused = as(buyer, base, "/shop?op=remove", "Accept", "text/html");

        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
        assertThat(refused.body()).contains("<h1>403 access_denied</h1>", "is required to call PetCatalogue.removePet");
    }

    @Test
    @DisplayName("the bean's unprotected methods stay open to any signed-in user")
    void unprotectedMethod() {
        assertThat(as(buyer, base, "/shop?op=list").body()).isEqualTo("result=Tom, Felix\n");
    }

    @Test
    @DisplayName("a class-level binding protects every method, by role name or ARN; a method's own binding replaces it")
    void classLevel() {
        assertThat(as(buyer, base, "/shop?op=order").statusCode()).isEqualTo(200);
        assertThat(as(admin, base, "/shop?op=order").statusCode()).as("the admin role, named by its ARN").isEqualTo(200);
        assertThat(as(admin, base, "/shop?op=refund").statusCode()).as("role names compare without case").isEqualTo(200);

        HttpResponse<String> refused = as(buyer, base, "/shop?op=refund");
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.body()).contains("role 'PET-SHOP-ADMIN' is required to call OrderDesk.refund");
    }

    @Test
    @DisplayName("a role of the same name in another account (a sandbox) does not pass a check by name: roles compare by ARN")
    void sameNameOtherAccount_refused() {
        String sandbox = environment.userWithSubject("sandbox|tester");

        HttpResponse<String> refused = as(sandbox, base, "/shop?op=remove");
        HttpResponse<String> byArn = as(sandbox, base, "/shop?op=order");

        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.body()).contains("role 'pet-shop-admin' is required to call PetCatalogue.removePet; this request "
                + "has role '" + CdiEnvironment.SANDBOX_ADMIN_ROLE_ARN + "' (rule 'sandbox')");
        assertThat(byArn.statusCode()).as("OrderDesk names the production admin role by ARN").isEqualTo(403);
    }

    @Test
    @DisplayName("a call without a delegation is refused, not run")
    void noDelegation() {
        HttpResponse<String> refused = get(base, "/public/shop?op=remove");

        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.body()).contains("role 'pet-shop-admin' is required to call PetCatalogue.removePet; "
                + "no AWS delegation for this request to /public/shop");
    }
}
