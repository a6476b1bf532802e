package io.github.awsdelegation.sample.deploy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;

/**
 * The sample WAR on WildFly 39 (its own Weld), dropped into the deployments directory of a server started with
 * {@code bin/standalone.sh} and the variables as {@code -D} options.
 */
@DisplayName("The sample WAR on WildFly 39")
class WildFlyIT extends DeployedSampleContract {

    @Override
    Deployment deploy(Map<String, String> variables, Path work) throws Exception {
        WildFlyDistribution.Running wildFly = WildFlyDistribution.start(WAR, variables, work);
        try {
            wildFly.awaitDeployed();
        } catch (RuntimeException | Error e) {
            wildFly.server().close();
            throw e;
        }
        return new Deployment(wildFly.server(), wildFly.app());
    }
}
