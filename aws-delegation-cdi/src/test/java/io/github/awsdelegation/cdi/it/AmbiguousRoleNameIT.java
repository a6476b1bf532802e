package io.github.awsdelegation.cdi.it;

import static io.github.awsdelegation.cdi.support.Http.as;
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

/**
 * The test app ({@code @RequiresAwsRole("pet-shop-admin")} on {@code PetCatalogue.removePet}, {@code "PET-SHOP-ADMIN"} on
 * {@code OrderDesk.refund}) with a configuration that declares two roles of that name (production's, and a sandbox
 * one): the name could mean either, so the filter refuses to start ({@code AWS delegation configuration error:
 * @RequiresAwsRole: on OrderDesk.refund: role name 'PET-SHOP-ADMIN' is ambiguous ... write the ARN of the one meant}, in
 * the server log) and the app serves no one. Neither Tomcat nor WildFly reports a failed filter as a failed deployment
 * to Arquillian, so the test asks the app: the message itself is specified by {@code RequiresAwsRoleSitesTest}.
 */
@ExtendWith(ArquillianExtension.class)
class AmbiguousRoleNameIT {

    final CdiEnvironment environment = CdiEnvironment.get();

    @ArquillianResource
    URL base;

    @Deployment(testable = false)
    static WebArchive war() {
        return TestWar.create("pet-shop-cdi-ambiguous.war", CdiEnvironment.get().configuration() + """
                  - id: testers
                    claims:
                      - {name: tester, equals: "true"}
                    roles:
                      - arn: %s
                """.formatted(CdiEnvironment.SANDBOX_ADMIN_ROLE_ARN));
    }

    @Test
    @DisplayName("a role name two configured roles share in @RequiresAwsRole stops the filter: no request is served")
    void ambiguousName_appServesNoOne() {
        HttpResponse<String> admin = as(environment.adminUser("ambiguous-admin"), base, "/shop?op=remove");
        HttpResponse<String> buyer = as(environment.socialUser("ambiguous-buyer"), base, "/shop?op=list");

        for (HttpResponse<String> response : java.util.List.of(admin, buyer)) {
            assertThat(response.statusCode()).as(response.body()).isIn(404, 500, 503);
            assertThat(response.body()).doesNotContain("result=");
        }
    }
}
