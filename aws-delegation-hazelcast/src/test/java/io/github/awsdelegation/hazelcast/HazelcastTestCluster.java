package io.github.awsdelegation.hazelcast;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import io.github.awsdelegation.config.CacheSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Real Hazelcast members in the test JVM, on free ports of 127.0.0.1, found by their TCP member list. */
final class HazelcastTestCluster {

    static {
        // Members of a test start together: no need to wait for more to join.
        System.setProperty("hazelcast.wait.seconds.before.join", "0");
        System.setProperty("hazelcast.max.wait.seconds.before.join", "0");
    }

    final String name = "test-" + UUID.randomUUID();
    final List<Integer> ports = new ArrayList<>();
    final List<HazelcastInstance> members = new ArrayList<>();

    HazelcastTestCluster(int size) {
        for (int i = 0; i < size; i++) {
            ports.add(freePort());
        }
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    List<String> addresses() {
        return ports.stream().map(p -> "127.0.0.1:" + p).toList();
    }

    CacheSettings.Hazelcast settings(CacheSettings.Hazelcast.Mode mode, int port) {
        return new CacheSettings.Hazelcast(mode, name, addresses(), port, "127.0.0.1");
    }

    /** Starts the members (each on its port). */
    HazelcastTestCluster start() {
        for (int port : ports) {
            members.add(Hazelcast.newHazelcastInstance(HazelcastConfigs.member(settings(CacheSettings.Hazelcast.Mode.EMBEDDED, port))));
        }
        return this;
    }

    void shutdown() {
        members.forEach(HazelcastInstance::shutdown);
        members.clear();
    }

    /** Every key and value of the store's maps, as a member holds them. */
    List<byte[]> rawContent() {
        List<byte[]> raw = new ArrayList<>();
        HazelcastInstance member = members.get(0);
        for (String map : List.of(HazelcastGrid.VALUES, HazelcastGrid.LEASES, HazelcastGrid.USERS)) {
            for (Map.Entry<Object, Object> entry : member.getMap(map).entrySet()) {
                raw.add(bytes(entry.getKey()));
                raw.add(bytes(entry.getValue()));
            }
        }
        return raw;
    }

    private static byte[] bytes(Object o) {
        return o instanceof byte[] b ? b : o.toString().getBytes(StandardCharsets.UTF_8);
    }

    void clear() {
        for (String map : List.of(HazelcastGrid.VALUES, HazelcastGrid.LEASES, HazelcastGrid.USERS)) {
            members.get(0).getMap(map).clear();
        }
    }
}
