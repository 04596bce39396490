package io.atomiccheckpoint.benchmarks;

import io.atomiccheckpoint.atomicity.CommitResult;
import io.atomiccheckpoint.atomicity.TemporaryPath;
import io.atomiccheckpoint.atomicity.TemporaryPathFactory;
import io.atomiccheckpoint.atomicity.TemporaryPathOptions;
import io.atomiccheckpoint.atomicity.ValidationError;
import io.atomiccheckpoint.commit.CommitInPlace;
import io.atomiccheckpoint.commit.CommitSettings;
import io.atomiccheckpoint.commit.PrefixCopyCommit;
import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.store.Store;
import java.util.List;
import java.util.function.Function;

/**
 * One of this library's commit strategies: {@code create} before the objects are written, {@code commit} timed
 * until it returns (at the marker, with the default settings) and until its background clean-up is done.
 */
final class StrategyContender implements Contender {
    private final String name;
    private final Function<Store, TemporaryPathFactory> factory;

    private StrategyContender(String name, Function<Store, TemporaryPathFactory> factory) {
        this.name = name;
        this.factory = factory;
    }

    static StrategyContender prefixCopy(CommitSettings settings) {
        return new StrategyContender(PrefixCopyCommit.NAME, store -> new PrefixCopyCommit(store, settings));
    }

    static StrategyContender commitInPlace(CommitSettings settings) {
        return new StrategyContender(CommitInPlace.NAME, store -> new CommitInPlace(store, settings));
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Finalizer prepare(Connection connection, Location finalLocation) {
        TemporaryPath path;
        PhaseClock clock = new PhaseClock();
        try {
            path = factory.apply(connection.store()).fromFinal(finalLocation,
                    TemporaryPathOptions.builder().observer(clock).build());
        } catch (ValidationError e) {
            throw new IllegalStateException("benchmark location refused: " + e.getMessage(), e);
        }
        Location source = path.createBlocking();
        return new Finalizer() {
            private CommitResult result;

            @Override
            public Location source() {
                return source;
            }

            @Override
            public void finalizeNow(Workload workload) {
                result = path.commitBlocking();
            }

            @Override
            public void awaitBackground() {
                List<String> failures = result.cleanup().toCompletableFuture().join();
                if (!failures.isEmpty()) {
                    throw new IllegalStateException("the clean-up after the commit left objects: " + failures);
                }
            }

            @Override
            public PhaseClock phases() {
                return clock;
            }
        };
    }
}
