package io.atomiccheckpoint.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** The pipeline's window bounds, its ordered results, and tasks run aside. */
class OrderedPipelineTest {
    @Test
    void aWindowSmallerThanTheThreadsOrNoThreadsAreRefused() {
        assertThatThrownBy(() -> new OrderedPipeline<Integer>("t", 0, 4, x -> { }))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("need concurrency >= 1 and window >= concurrency, got 0 and 4");
        assertThatThrownBy(() -> new OrderedPipeline<Integer>("t", 4, 3, x -> { }))
                .hasMessageContaining("got 4 and 3");
    }

    @Test
    void resultsArriveInSubmissionOrderAndAsideFailuresAreRethrownAsThrown() {
        List<Integer> seen = new ArrayList<>();
        try (OrderedPipeline<Integer> pipeline = new OrderedPipeline<>("t", 3, 3, seen::add)) {
            for (int i = 0; i < 20; i++) {
                int n = i;
                pipeline.submit(() -> n);
            }
            pipeline.drain();
            Future<?> aside = pipeline.runAside(() -> {
                throw new IllegalStateException("aside failed");
            });
            assertThatThrownBy(() -> OrderedPipeline.join(aside)).isInstanceOf(IllegalStateException.class)
                    .hasMessage("aside failed");
        }
        assertThat(seen).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19);
    }
}
