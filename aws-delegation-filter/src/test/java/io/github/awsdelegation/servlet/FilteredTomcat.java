package io.github.awsdelegation.servlet;

import io.github.awsdelegation.DelegationService;
import jakarta.servlet.http.HttpServlet;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.catalina.Context;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.descriptor.web.FilterDef;
import org.apache.tomcat.util.descriptor.web.FilterMap;

/** The servlet tests' embedded Tomcat: on a free port of 127.0.0.1, contexts with the filter in front of an app. */
final class FilteredTomcat {

    private FilteredTomcat() {
    }

    /** A Tomcat, not started, whose files go under {@code dir/tomcat}. */
    static Tomcat create(Path dir) throws IOException {
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(Files.createDirectories(dir.resolve("tomcat")).toString());
        tomcat.setPort(0);
        tomcat.getConnector().setProperty("address", "127.0.0.1");
        return tomcat;
    }

    /** Adds a context whose every path goes through the filter around {@code service}, then to {@code app}. */
    static void deploy(Tomcat tomcat, String contextPath, DelegationService service, HttpServlet app) {
        Context context = tomcat.addContext(contextPath, null);
        FilterDef filter = new FilterDef();
        filter.setFilterName("aws-delegation");
        filter.setFilter(new AwsDelegationFilter(service));
        context.addFilterDef(filter);
        FilterMap mapping = new FilterMap();
        mapping.setFilterName("aws-delegation");
        mapping.addURLPattern("/*");
        context.addFilterMap(mapping);
        Tomcat.addServlet(context, "app", app);
        context.addServletMappingDecoded("/*", "app");
    }

    /** The started Tomcat's base URI. */
    static URI base(Tomcat tomcat) {
        return URI.create("http://127.0.0.1:" + tomcat.getConnector().getLocalPort());
    }
}
