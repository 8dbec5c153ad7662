package dev.llmbudget.demo;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The dataset the two agents argue about: about 1,500 tokens of a churn table and its notes.
 * It is re-sent in every request, as agents that carry their whole context do, which is what
 * makes each call cost what it does.
 */
final class DatasetExcerpt {

    private static final String RESOURCE = "dataset-excerpt.txt";

    private DatasetExcerpt() {
    }

    static String text() {
        try (InputStream in = DatasetExcerpt.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + RESOURCE + " next to " + DatasetExcerpt.class.getName());
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
