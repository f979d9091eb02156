package io.downline.kyc.app;

import java.util.Map;

import org.apache.tika.Tika;

import io.downline.common.problem.ProblemException;
import io.downline.common.problem.ProblemType;

/** A document's type decided by its content alone (Apache Tika's magic bytes), never by its name or declared type. */
final class ContentTypes {

    /** The accepted types and the file extension each is served with. */
    static final Map<String, String> ALLOWED = Map.of("image/jpeg", "jpg", "image/png", "png", "application/pdf", "pdf");

    private static final Tika TIKA = new Tika();

    private ContentTypes() {
    }

    /** The detected type; a 415 problem unless it is JPEG, PNG or PDF. */
    static String detect(byte[] content) {
        String type = TIKA.detect(content);
        if (!ALLOWED.containsKey(type)) {
            throw new ProblemException(ProblemType.UNSUPPORTED_MEDIA_TYPE, "The file's content is " + type
                    + "; documents are accepted as JPEG, PNG or PDF only.");
        }
        return type;
    }
}
