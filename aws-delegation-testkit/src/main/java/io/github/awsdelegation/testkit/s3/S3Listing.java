package io.github.awsdelegation.testkit.s3;

import static io.github.awsdelegation.testkit.internal.Html.escape;
import static io.github.awsdelegation.testkit.s3.S3Endpoints.ISO;
import static io.github.awsdelegation.testkit.s3.S3Endpoints.NAMESPACE;
import static io.github.awsdelegation.testkit.s3.S3Endpoints.encode;

import io.github.awsdelegation.testkit.s3.LocalS3.StoredObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * S3 ListObjects and ListObjectsV2 over one bucket: the keys after a marker (or continuation token) that start with
 * the prefix, rolled up into common prefixes at the delimiter, at most {@code max-keys} of both, as
 * {@code ListBucketResult} XML, keys URL-encoded when {@code encoding-type=url}.
 */
final class S3Listing {

    private S3Listing() {
    }

    static String xml(LocalS3.Bucket bucket, boolean v2, String prefix, String delimiter, int maxKeys, String after,
            boolean url) {
        List<Map.Entry<String, StoredObject>> contents = new ArrayList<>();
        TreeSet<String> commonPrefixes = new TreeSet<>();
        boolean truncated = false;
        String last = null;
        for (Map.Entry<String, StoredObject> entry : bucket.objects().tailMap(after, false).entrySet()) {
            String key = entry.getKey();
            if (!key.startsWith(prefix)) {
                continue;
            }
            String common = null;
            if (delimiter != null && !delimiter.isEmpty()) {
                int at = key.indexOf(delimiter, prefix.length());
                if (at >= 0) {
                    common = key.substring(0, at + delimiter.length());
                }
            }
            if (contents.size() + commonPrefixes.size() >= maxKeys && (common == null || !commonPrefixes.contains(common))) {
                truncated = true;
                break;
            }
            if (common != null) {
                commonPrefixes.add(common);
            } else {
                contents.add(entry);
            }
            last = key;
        }
        StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ListBucketResult xmlns=\"")
                .append(NAMESPACE).append("\">");
        xml.append("<Name>").append(escape(bucket.name())).append("</Name>");
        xml.append("<Prefix>").append(escape(encode(prefix, url))).append("</Prefix>");
        if (delimiter != null) {
            xml.append("<Delimiter>").append(escape(encode(delimiter, url))).append("</Delimiter>");
        }
        xml.append("<MaxKeys>").append(maxKeys).append("</MaxKeys>");
        if (url) {
            xml.append("<EncodingType>url</EncodingType>");
        }
        xml.append("<IsTruncated>").append(truncated).append("</IsTruncated>");
        if (v2) {
            xml.append("<KeyCount>").append(contents.size() + commonPrefixes.size()).append("</KeyCount>");
            if (truncated && last != null) {
                xml.append("<NextContinuationToken>").append(escape(last)).append("</NextContinuationToken>");
            }
        } else if (truncated && last != null) {
            xml.append("<NextMarker>").append(escape(encode(last, url))).append("</NextMarker>");
        }
        for (Map.Entry<String, StoredObject> entry : contents) {
            StoredObject object = entry.getValue();
            xml.append("<Contents><Key>").append(escape(encode(entry.getKey(), url))).append("</Key><LastModified>")
                    .append(ISO.format(object.lastModified())).append("</LastModified><ETag>").append(escape(object.etag()))
                    .append("</ETag><Size>").append(object.data().length).append("</Size><StorageClass>STANDARD</StorageClass></Contents>");
        }
        for (String common : commonPrefixes) {
            xml.append("<CommonPrefixes><Prefix>").append(escape(encode(common, url))).append("</Prefix></CommonPrefixes>");
        }
        return xml.append("</ListBucketResult>").toString();
    }
}
