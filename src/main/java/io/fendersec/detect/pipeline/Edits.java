package io.fendersec.detect.pipeline;

/** What an item edit ({@link ProcessingItem#editItems}) may return besides the item or a replacement. */
final class Edits {
    /** Returned by an edit to drop the item. */
    static final Detection DROP = new Detection.Group(false, java.util.List.of());

    private Edits() {}
}
