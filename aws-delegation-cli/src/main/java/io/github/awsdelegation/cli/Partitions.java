package io.github.awsdelegation.cli;

import java.net.URI;

/** What the client needs of each AWS partition: STS's default region, and the console federation endpoints. */
enum Partitions {
    AWS("aws", "us-east-1", "https://signin.aws.amazon.com/federation", "https://console.aws.amazon.com/"),
    AWS_CN("aws-cn", "cn-north-1", "https://signin.amazonaws.cn/federation", "https://console.amazonaws.cn/"),
    AWS_US_GOV("aws-us-gov", "us-gov-west-1", "https://signin.amazonaws-us-gov.com/federation",
            "https://console.amazonaws-us-gov.com/");

    private final String id;
    private final String defaultRegion;
    private final URI federation;
    private final URI console;

    Partitions(String id, String defaultRegion, String federation, String console) {
        this.id = id;
        this.defaultRegion = defaultRegion;
        this.federation = URI.create(federation);
        this.console = URI.create(console);
    }

    static Partitions of(String id) {
        for (Partitions p : values()) {
            if (p.id.equals(id)) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown partition " + id);
    }

    String defaultRegion() {
        return defaultRegion;
    }

    /** Checks that a region belongs to this partition (by its prefix, as the partitions name their regions). */
    boolean contains(String region) {
        return switch (this) {
            case AWS_CN -> region.startsWith("cn-");
            case AWS_US_GOV -> region.startsWith("us-gov-");
            case AWS -> !region.startsWith("cn-") && !region.startsWith("us-gov-") && !region.startsWith("us-iso");
        };
    }

    URI federation() {
        return federation;
    }

    URI console() {
        return console;
    }
}
