package io.fendersec.source.it;

import org.apache.flink.connector.testframe.environment.MiniClusterTestEnvironment;
import org.apache.flink.connector.testframe.external.ExternalContextFactory;
import org.apache.flink.connector.testframe.junit.annotations.TestContext;
import org.apache.flink.connector.testframe.junit.annotations.TestEnv;
import org.apache.flink.connector.testframe.junit.annotations.TestSemantics;
import org.apache.flink.connector.testframe.testsuites.SourceTestSuiteBase;
import org.apache.flink.core.execution.CheckpointingMode;

import io.fendersec.emulator.store.PagingLinks;
import io.fendersec.model.LogRecord;

/**
 * Flink's eight source test templates (single split, multiple splits, savepoint, scale up, scale
 * down, metrics, idle reader, TaskManager failure) against the in-process emulator, over HTTP, on a
 * MiniCluster. Bounded templates run the bounded mode, the others the continuous mode. Every
 * template runs under both readings of the paging links (docs/bugfender-api.md, open question):
 * {@code previous} on every snapshot page, and on the answer that fixed the snapshot only.
 */
class BugfenderSourceSuiteIT extends SourceTestSuiteBase<LogRecord> {

    @TestEnv
    MiniClusterTestEnvironment flink = new MiniClusterTestEnvironment();

    @TestContext
    ExternalContextFactory<BugfenderExternalContext> previousOnAllPages =
            testName -> new BugfenderExternalContext(PagingLinks.ALL);

    @TestContext
    ExternalContextFactory<BugfenderExternalContext> previousOnFirstAnswerOnly =
            testName -> new BugfenderExternalContext(PagingLinks.FIRST);

    @TestSemantics
    CheckpointingMode[] semantics = new CheckpointingMode[] {CheckpointingMode.EXACTLY_ONCE};
}
