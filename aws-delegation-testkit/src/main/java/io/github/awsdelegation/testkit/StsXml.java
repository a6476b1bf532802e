package io.github.awsdelegation.testkit;

import static io.github.awsdelegation.testkit.internal.Html.escape;

/** Writes STS Query protocol answers: result documents and {@code ErrorResponse}, in the 2011-06-15 namespace. */
final class StsXml {

    private final StringBuilder xml = new StringBuilder();

    private StsXml() {
    }

    static StsXml response(String action) {
        StsXml out = new StsXml();
        out.xml.append("<").append(action).append("Response xmlns=\"").append(LocalSts.NAMESPACE).append("\">\n");
        out.xml.append("  <").append(action).append("Result>\n");
        return out;
    }

    StsXml element(String indent, String name, Object value) {
        if (value != null) {
            xml.append(indent).append('<').append(name).append('>').append(escape(String.valueOf(value)))
                    .append("</").append(name).append(">\n");
        }
        return this;
    }

    StsXml open(String indent, String name) {
        xml.append(indent).append('<').append(name).append(">\n");
        return this;
    }

    StsXml close(String indent, String name) {
        xml.append(indent).append("</").append(name).append(">\n");
        return this;
    }

    String finish(String action, String requestId) {
        xml.append("  </").append(action).append("Result>\n");
        xml.append("  <ResponseMetadata>\n    <RequestId>").append(requestId).append("</RequestId>\n  </ResponseMetadata>\n");
        xml.append("</").append(action).append("Response>\n");
        return xml.toString();
    }

    static String error(String type, String code, String message, String requestId) {
        return "<ErrorResponse xmlns=\"" + LocalSts.NAMESPACE + "\">\n"
                + "  <Error>\n"
                + "    <Type>" + escape(type) + "</Type>\n"
                + "    <Code>" + escape(code) + "</Code>\n"
                + "    <Message>" + escape(message) + "</Message>\n"
                + "  </Error>\n"
                + "  <RequestId>" + escape(requestId) + "</RequestId>\n"
                + "</ErrorResponse>\n";
    }
}
