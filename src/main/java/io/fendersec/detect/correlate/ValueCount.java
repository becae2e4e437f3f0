package io.fendersec.detect.correlate;

import java.util.List;

/**
 * Sigma's {@code value_count}: the number of distinct values of a field among the span's events,
 * or, over a list of fields, of distinct combinations of their values. An event lacking the field
 * (any of the fields) does not count.
 */
final class ValueCount extends CorrelationKind {
    @Override
    Tally tally(CorrelationSpec spec) {
        return new Distinct(Hit::value);
    }

    /**
     * One field: its canonical value, as before lists existed (so state written then keeps its
     * meaning). Several: each value prefixed by its length, so that no value, whatever the
     * attacker writes into it, can make two different combinations read the same.
     */
    @Override
    public String hitValue(List<String> fields, FieldValues event) {
        if (fields.size() == 1) {
            return event.counted(fields.get(0));
        }
        StringBuilder b = new StringBuilder();
        for (String f : fields) {
            String v = event.counted(f);
            if (v == null) {
                return null;
            }
            b.append(v.length()).append(':').append(v);
        }
        return b.toString();
    }

    @Override
    public FieldUse fieldUse() {
        return FieldUse.ONE_OR_LIST;
    }
}
