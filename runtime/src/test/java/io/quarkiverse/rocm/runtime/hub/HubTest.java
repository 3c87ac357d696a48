package io.quarkiverse.rocm.runtime.hub;

import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;

import io.quarkiverse.rocm.testing.hub.TestHub;

/** A test against the fixture's repository on a test hub of its own, with an empty cache named after the test. */
abstract class HubTest {

    TestHub hub;
    Path cache;

    @BeforeEach
    void hub(TestInfo test) throws Exception {
        hub = HubFixture.repo(new TestHub());
        cache = HubFixture.tempDir(test.getTestMethod().orElseThrow().getName());
    }

    @AfterEach
    void close() {
        hub.close();
        BlobDownload.stallMillis = 30_000;
    }
}
