package io.github.awsdelegation.hazelcast;

import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.client.config.ClientConnectionStrategyConfig;
import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import io.github.awsdelegation.config.CacheSettings;
import io.github.awsdelegation.config.ConfigurationException;
import java.net.InetAddress;
import java.net.UnknownHostException;

/** The Hazelcast configurations of {@code cache.hazelcast}: a member on a TCP member list, or a client. */
final class HazelcastConfigs {

    private HazelcastConfigs() {
    }

    /**
     * A member: bound to {@code host} only, on {@code port} (or the next free one above it), joining the listed members
     * over TCP; multicast and cloud discovery off, and no phone-home.
     */
    static Config member(CacheSettings.Hazelcast settings) {
        validate(settings);
        Config config = new Config();
        config.setClusterName(settings.clusterName());
        config.setProperty("hazelcast.phone.home.enabled", "false");
        config.setProperty("hazelcast.logging.type", "slf4j");
        config.setProperty("hazelcast.socket.bind.any", "false");
        config.setProperty("hazelcast.local.localAddress", settings.host());
        NetworkConfig network = config.getNetworkConfig();
        network.setPort(settings.port()).setPortAutoIncrement(true);
        network.getInterfaces().setEnabled(true).addInterface(settings.host());
        network.getRestApiConfig().setEnabled(false);
        JoinConfig join = network.getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        join.getTcpIpConfig().setEnabled(true).setMembers(settings.members());
        return config;
    }

    /**
     * A client of the listed members: it starts without waiting for the cluster and reconnects in the background,
     * its operations failing at once meanwhile (so that the store caches locally rather than waiting).
     */
    static ClientConfig client(CacheSettings.Hazelcast settings) {
        validate(settings);
        ClientConfig config = new ClientConfig();
        config.setClusterName(settings.clusterName());
        config.setProperty("hazelcast.logging.type", "slf4j");
        config.setProperty("hazelcast.client.invocation.timeout.seconds", "5");
        config.getNetworkConfig().setAddresses(settings.members()).setSmartRouting(true);
        config.getConnectionStrategyConfig()
                .setAsyncStart(true)
                .setReconnectMode(ClientConnectionStrategyConfig.ReconnectMode.ASYNC)
                .getConnectionRetryConfig().setInitialBackoffMillis(200).setMaxBackoffMillis(2000)
                .setClusterConnectTimeoutMillis(Long.MAX_VALUE);
        return config;
    }

    // Addresses are host:port with a host that resolves: a typo fails the deployment, naming the entry.
    private static void validate(CacheSettings.Hazelcast settings) {
        for (int i = 0; i < settings.members().size(); i++) {
            String member = settings.members().get(i).strip();
            String key = "cache.hazelcast.members[" + i + "]";
            int colon = member.lastIndexOf(':');
            String host = colon < 0 ? member : member.substring(0, colon);
            if (colon >= 0) {
                try {
                    int port = Integer.parseInt(member.substring(colon + 1));
                    if (port < 1 || port > 65535) {
                        throw new NumberFormatException();
                    }
                } catch (NumberFormatException e) {
                    throw new ConfigurationException(key, "'" + member + "' is not host:port, e.g. 127.0.0.1:5701");
                }
            }
            try {
                InetAddress.getByName(host);
            } catch (UnknownHostException e) {
                throw new ConfigurationException(key, "the host '" + host + "' cannot be resolved", e);
            }
        }
        try {
            InetAddress.getByName(settings.host());
        } catch (UnknownHostException e) {
            throw new ConfigurationException("cache.hazelcast.host", "'" + settings.host() + "' cannot be resolved", e);
        }
    }
}
