package io.github.awsdelegation.sample.deploy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;

/**
 * The sample WAR on the Tomcat 10.1 distribution, with {@code weld-servlet-shaded} in Tomcat's {@code lib/}, the
 * variables in {@code bin/setenv.sh} and the WAR in {@code webapps/} (see {@link TomcatDistribution}).
 */
@DisplayName("The sample WAR on the Tomcat 10.1 distribution with Weld servlet in lib/")
class TomcatDistributionIT extends DeployedSampleContract {

    @Override
    Deployment deploy(Map<String, String> variables, Path work) throws Exception {
        TomcatDistribution.Running tomcat = TomcatDistribution.start(WAR, variables, work);
        try {
            tomcat.awaitServing();
        } catch (RuntimeException | Error e) {
            tomcat.server().close();
            throw e;
        }
        return new Deployment(tomcat.server(), tomcat.app());
    }
}
