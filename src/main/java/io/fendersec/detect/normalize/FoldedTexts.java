package io.fendersec.detect.normalize;

import io.fendersec.detect.sigma.LiteralPrefilter;

/**
 * The folded form of the texts one log's extractors read, computed once per text: most
 * extractors read {@code text}, so it is folded once per log rather than once per extractor.
 * Remembers the last text by identity, which is all the default extractors need.
 */
final class FoldedTexts {
    private String source;
    private String folded;

    String of(String text) {
        if (text != source) {
            source = text;
            folded = LiteralPrefilter.fold(text);
        }
        return folded;
    }
}
