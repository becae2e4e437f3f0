package io.fendersec.sink;

import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamSink;

import io.fendersec.model.Alert;

/**
 * The checked, immutable settings of one alert sink ({@code sinks.alerts[]} of the job spec), one
 * record per sink type. Each knows how to attach its sink, so the pipeline never switches on a
 * type name. Sealed, with {@link AlertSinkType} the registry of names: see there for adding a type.
 */
public sealed interface AlertSinkSettings
        permits ConsoleSinkSettings, FileSinkSettings, JdbcSinkSettings, WebhookSettings, KafkaSinkSettings {

    /** This record's entry in the registry. */
    AlertSinkType type();

    /**
     * Attaches the sink to {@code alerts}. {@code uid} ({@link AlertSinkType#uid}) is stable across
     * restarts and unique in the job: the file and Kafka sinks restore their pending files and
     * transactions by it.
     */
    DataStreamSink<?> addTo(DataStream<Alert> alerts, String uid);
}
