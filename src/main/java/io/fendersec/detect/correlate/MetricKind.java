package io.fendersec.detect.correlate;

import java.util.List;

/** A metric type: reads one numeric field ({@link MetricValue}) and bounds a decimal measure of it. */
abstract class MetricKind extends CorrelationKind {
    @Override
    public String hitValue(List<String> fields, FieldValues event) {
        return MetricValue.canonical(event.text(fields.get(0)));
    }

    @Override
    public FieldUse fieldUse() {
        return FieldUse.ONE;
    }

    @Override
    public boolean fractionalBounds() {
        return true;
    }
}
